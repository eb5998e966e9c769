import type { AuthPort, SignedInAccount } from "../../core/ports/auth.js";

export interface DevUser {
  id: string;
  username: string;
  name: string;
}

function base64UrlJson(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The local demo's stand-in for MSAL: it mints `dev.` tokens that only the Graph fake accepts.
 * It has the same port as MSAL, so the rest of the add-in cannot tell them apart.
 */
export function createDevTokenProvider(
  user: DevUser,
  options: { lifetimeSeconds?: number; now?: () => number } = {},
): AuthPort {
  const lifetime = options.lifetimeSeconds ?? 3600;
  const now = options.now ?? Date.now;
  // One token per scope set, as MSAL caches them: a pane that reads mail through Graph holds a
  // Mail.Read token beside its storage token.
  const cache = new Map<string, { token: string; expiresAt: number }>();

  return {
    async getAccessToken(scopes, options) {
      const scp = [...new Set(scopes)].sort().join(" ");
      const held = cache.get(scp);
      if (held && held.expiresAt - now() > 60_000 && !options?.forceRefresh) return held.token;
      const exp = Math.floor(now() / 1000) + lifetime;
      // A nonce keeps a forced refresh from minting the very token the server just refused.
      const nonce = Math.random().toString(36).slice(2, 10);
      const token = `dev.${base64UrlJson({ sub: user.id, upn: user.username, name: user.name, scp, exp, nonce })}`;
      cache.set(scp, { token, expiresAt: exp * 1000 });
      return token;
    },
    async clearCache() {
      cache.clear();
    },
    async account(): Promise<SignedInAccount> {
      return { name: user.name, username: user.username };
    },
  };
}
