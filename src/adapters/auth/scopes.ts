// Comparing scope lists: what a request wants against what a token was granted.

/** OpenID scopes MSAL adds on its own; a token's Graph scopes are what matters. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter((s) => s && !OIDC_SCOPES.has(s)))];
}

export function covers(granted: readonly string[], wanted: readonly string[]): boolean {
  const have = new Set(granted.map((s) => s.toLowerCase()));
  return wanted.every((s) => have.has(s.toLowerCase()));
}
