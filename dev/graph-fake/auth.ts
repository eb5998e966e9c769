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

/**
 * A delegated development token; missing claims default to the demo user with all three scopes,
 * 1 h. The user is named by `oid` (falls back to `sub`): `/me` is that user.
 */
export function makeDevToken(claims: Partial<DevTokenClaims> = {}): string {
  const full: DevTokenClaims = {
    ...DEFAULT_CLAIMS,
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  };
  return encode(full);
}

/** Default application permissions of an app-only token: the app folder of every user. */
export const DEFAULT_APP_ROLES = ["Files.ReadWrite.AppFolder"];

/**
 * An app-only development token, shaped like what Entra ID issues for the client-credentials flow:
 * `roles` (application permissions), no `scp`, `idtyp: "app"`, and `oid`/`sub` naming the app's
 * service principal, not a user. Such a token has no `/me`; it names users by `/users/{id}` and
 * drives by `/drives/{id}`.
 */
export function makeAppToken(
  opts: { roles?: string[]; appName?: string; servicePrincipalId?: string; exp?: number } = {},
): string {
  const sp = opts.servicePrincipalId ?? "5e9a0c7d-0000-4000-8000-00000000a990";
  return encode({
    sub: sp,
    oid: sp,
    upn: "",
    name: opts.appName ?? "SEPT for Outlook",
    roles: opts.roles ?? DEFAULT_APP_ROLES,
    idtyp: "app",
    exp: opts.exp ?? Math.floor(Date.now() / 1000) + 3600,
  });
}

function encode(claims: DevTokenClaims): string {
  return "dev." + Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
}

/** True when the claims are those of an app-only token. */
export function isAppOnly(claims: DevTokenClaims): boolean {
  return claims.idtyp === "app" || (claims.scp === undefined && claims.roles !== undefined);
}

/** The user (or service principal) a token names: `oid`, or `sub` when there is none. */
export function principalIdOf(claims: DevTokenClaims): string {
  return claims.oid ?? claims.sub;
}

/** Checks the shape of claims given as JSON (dev tokens, `POST /_fake/tokens`). */
export function asClaims(parsed: unknown): DevTokenClaims | null {
  if (typeof parsed !== "object" || parsed === null) return null;
  const c = parsed as Record<string, unknown>;
  const roles = c.roles;
  if (
    typeof c.sub !== "string" ||
    c.sub === "" ||
    typeof c.upn !== "string" ||
    typeof c.name !== "string" ||
    (c.scp !== undefined && typeof c.scp !== "string") ||
    (roles !== undefined &&
      (!Array.isArray(roles) || !roles.every((r) => typeof r === "string"))) ||
    (c.scp === undefined && roles === undefined) ||
    (c.oid !== undefined && (typeof c.oid !== "string" || c.oid === "")) ||
    (c.idtyp !== undefined && c.idtyp !== "app" && c.idtyp !== "user") ||
    typeof c.exp !== "number"
  ) {
    return null;
  }
  return {
    sub: c.sub,
    ...(typeof c.oid === "string" ? { oid: c.oid } : {}),
    upn: c.upn,
    name: c.name,
    ...(typeof c.scp === "string" ? { scp: c.scp } : {}),
    ...(Array.isArray(roles) ? { roles: roles as string[] } : {}),
    ...(c.idtyp === "app" || c.idtyp === "user" ? { idtyp: c.idtyp } : {}),
    exp: c.exp,
  };
}

/** The claims of a development token, or null when it is not one (expiry is not checked). */
export function parseDevToken(token: string): DevTokenClaims | null {
  if (!token.startsWith("dev.")) return null;
  try {
    return asClaims(JSON.parse(Buffer.from(token.slice(4), "base64url").toString("utf8")));
  } catch {
    return null;
  }
}

export type ScopeArea = "user" | "mail" | "drive";

// Any of these grants the area; higher privileges imply the lower ones as in Graph.
const AREA_SCOPES: Record<ScopeArea, string[]> = {
  user: ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"],
  mail: ["Mail.Read", "Mail.ReadWrite"],
  drive: [
    "Files.ReadWrite.AppFolder",
    "Files.ReadWrite",
    "Files.ReadWrite.All",
    "Sites.ReadWrite.All",
    "Sites.Selected",
  ],
};

// Application permissions (app roles) that grant an area to an app-only token. App-only
// Files.ReadWrite.AppFolder reaches every app folder of the app (Graph, "Using app folder in
// OneDrive and SharePoint", Application only).
const AREA_ROLES: Record<ScopeArea, string[]> = {
  user: ["User.Read.All", "User.ReadWrite.All"],
  mail: ["Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic.All"],
  drive: [
    "Files.ReadWrite.AppFolder",
    "Files.ReadWrite.All",
    "Sites.ReadWrite.All",
    "Sites.Selected",
  ],
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
    const app = isAppOnly(claims);
    const scopes = app
      ? new Set(claims.roles ?? [])
      : new Set((claims.scp ?? "").split(/\s+/).filter(Boolean));
    return { claims, scopes, app, principalId: principalIdOf(claims) };
  }
}

export function requireScope(user: AuthUser, area: ScopeArea): void {
  const granting = user.app ? AREA_ROLES[area] : AREA_SCOPES[area];
  if (granting.some((s) => user.scopes.has(s))) return;
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
