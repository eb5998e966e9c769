// A local stand-in for the Microsoft identity platform's device-code sign-in, for tests of the
// tenant check: the OpenID discovery document, the devicecode endpoint and the token endpoint, as
// MSAL for Node calls them. The access token it issues is a development token the Graph fake
// accepts (dev/graph-fake/auth.ts makeDevToken), carrying the scopes this stand-in grants.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { makeDevToken } from "../../dev/graph-fake/auth.js";
import { testCertificate } from "./graph-fake.js";

export interface OidcStandInOptions {
  user?: { sub: string; upn: string; name: string };
  /** Scopes granted, whatever was asked (default: what was asked, OpenID scopes left out). */
  grantedScopes?: string[];
  /** Token polls answered `authorization_pending` before the user "signs in" (default 0). */
  pendingPolls?: number;
}

export interface OidcStandIn {
  /** https://localhost:PORT: pass as the tenant check's --authority. */
  url: string;
  /** Form posts it received, by endpoint (`devicecode`, `token`). */
  posts: Array<{ endpoint: string; form: Record<string, string> }>;
  close(): Promise<void>;
}

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export async function startOidcStandIn(options: OidcStandInOptions = {}): Promise<OidcStandIn> {
  const user = options.user ?? {
    sub: "alex-martin",
    upn: "alex.martin@contoso-build.example",
    name: "Alex Martin",
  };
  const tls = await testCertificate();
  const posts: OidcStandIn["posts"] = [];
  let pending = options.pendingPolls ?? 0;
  let origin = "";

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", origin);
      const [tenant = "", ...rest] = url.pathname.split("/").filter(Boolean);
      const route = rest.join("/");
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const base = `${origin}/${tenant}`;
      if (req.method === "GET" && route === "v2.0/.well-known/openid-configuration") {
        reply(200, {
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ["code", "id_token", "token"],
          scopes_supported: ["openid", "profile", "email", "offline_access"],
        });
        return;
      }
      if (req.method !== "POST") {
        reply(404, { error: "not_found" });
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      if (route === "oauth2/v2.0/devicecode") {
        posts.push({ endpoint: "devicecode", form });
        reply(200, {
          device_code: "stand-in-device-code",
          user_code: "STANDIN1",
          verification_uri: `${origin}/devicelogin`,
          expires_in: 900,
          interval: 1,
          message: `To sign in, open ${origin}/devicelogin and enter the code STANDIN1.`,
        });
        return;
      }
      if (route === "oauth2/v2.0/token") {
        posts.push({ endpoint: "token", form });
        if (form.device_code !== "stand-in-device-code") {
          reply(400, { error: "invalid_grant", error_description: "Unknown device code." });
          return;
        }
        if (pending > 0) {
          pending -= 1;
          reply(400, {
            error: "authorization_pending",
            error_description: "Waiting for the user.",
          });
          return;
        }
        const asked = (form.scope ?? "").split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
        const granted = options.grantedScopes ?? asked;
        const now = Math.floor(Date.now() / 1000);
        reply(200, {
          token_type: "Bearer",
          scope: granted.join(" "),
          expires_in: 3600,
          ext_expires_in: 3600,
          access_token: makeDevToken({ ...user, scp: granted.join(" ") }),
          refresh_token: "stand-in-refresh-token",
          id_token: `${base64url({ alg: "none", typ: "JWT" })}.${base64url({
            aud: form.client_id,
            iss: `${base}/v2.0`,
            iat: now,
            nbf: now,
            exp: now + 3600,
            name: user.name,
            oid: user.sub,
            preferred_username: user.upn,
            sub: user.sub,
            tid: tenant,
            ver: "2.0",
          })}.`,
          client_info: base64url({ uid: user.sub, utid: tenant }),
        });
        return;
      }
      reply(404, { error: "not_found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
