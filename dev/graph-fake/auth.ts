// Bearer tokens the fake accepts: development tokens (`dev.` + base64url(JSON claims)) and opaque
// tokens registered at runtime (e.g. ones MSAL issued in a sign-in test).
import { GraphError } from "./errors.js";
import type { AuthUser, FakeRequest } from "./exchange.js";
import type { DevTokenClaims } from "./types.js";

export const DEFAULT_SCOPES = "User.Read Mail.Read Files.ReadWrite.AppFolder";

export const DEFAULT_CLAIMS: Omit<DevTokenClaims, "exp"> = {
  sub: "alex-martin",
  upn: "alex.martin@contoso-build.example",
  name: "Alex Martin",
  scp: DEFAULT_SCOPES,
};

/** A development token; missing claims default to the demo user with all three scopes, 1 h. */
export function makeDevToken(claims: Partial<DevTokenClaims> = {}): string {
  const full: DevTokenClaims = {
    ...DEFAULT_CLAIMS,
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  };
  return "dev." + Buffer.from(JSON.stringify(full), "utf8").toString("base64url");
}

/** The claims of a development token, or null when it is not one (expiry is not checked). */
export function parseDevToken(token: string): DevTokenClaims | null {
  if (!token.startsWith("dev.")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token.slice(4), "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const c = parsed as Record<string, unknown>;
  if (
    typeof c.sub !== "string" ||
    c.sub === "" ||
    typeof c.upn !== "string" ||
    typeof c.name !== "string" ||
    typeof c.scp !== "string" ||
    typeof c.exp !== "number"
  ) {
    return null;
  }
  return { sub: c.sub, upn: c.upn, name: c.name, scp: c.scp, exp: c.exp };
}

export type ScopeArea = "user" | "mail" | "drive";

// Any of these grants the area; higher privileges imply the lower ones as in Graph.
const AREA_SCOPES: Record<ScopeArea, string[]> = {
  user: ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"],
  mail: ["Mail.Read", "Mail.ReadWrite"],
  drive: ["Files.ReadWrite.AppFolder", "Files.ReadWrite", "Files.ReadWrite.All"],
};

export class TokenRegistry {
  private readonly accepted = new Map<string, DevTokenClaims>();

  accept(token: string, claims: DevTokenClaims): void {
    this.accepted.set(token, claims);
  }

  /** Claims of a bearer token regardless of expiry (used to key per-user concurrency). */
  peek(authorization: string | undefined): DevTokenClaims | null {
    const token = bearerOf(authorization);
    if (!token) return null;
    return this.accepted.get(token) ?? parseDevToken(token);
  }

  /** The caller of a /v1.0 request, or a 401 GraphError. */
  authenticate(req: FakeRequest): AuthUser {
    const header = req.headers.authorization;
    if (!header) {
      throw unauthenticated("Access token is empty.");
    }
    const token = bearerOf(header);
    if (!token) throw unauthenticated("Access token validation failure. Invalid audience.");
    const claims = this.accepted.get(token) ?? parseDevToken(token);
    if (!claims) throw unauthenticated("IDX14100: JWT is not well formed.");
    if (claims.exp * 1000 <= Date.now()) {
      throw unauthenticated("Lifetime validation failed, the token is expired.");
    }
    return { claims, scopes: new Set(claims.scp.split(/\s+/).filter(Boolean)) };
  }
}

export function requireScope(user: AuthUser, area: ScopeArea): void {
  if (AREA_SCOPES[area].some((s) => user.scopes.has(s))) return;
  if (area === "mail")
    throw new GraphError(
      403,
      "ErrorAccessDenied",
      "Access is denied. Check credentials and try again.",
    );
  throw new GraphError(
    403,
    "accessDenied",
    "Either scp or roles claim need to be present in the token.",
  );
}

function bearerOf(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

function unauthenticated(message: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, undefined, {
    "WWW-Authenticate":
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
  });
}
