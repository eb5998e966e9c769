// A local stand-in for the Microsoft identity platform's endpoints that MSAL for Node calls in the
// client-credentials flow: the tenant's OpenID configuration and `/oauth2/v2.0/token`. It checks
// the credential as Entra does (the client secret, or a client assertion signed with the
// registered certificate, addressed to the token endpoint) and issues an app-only access token
// minted by the test (one the Graph fake accepts). Over HTTPS, since MSAL refuses anything else.
import { createPublicKey, createVerify, constants, X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RegisteredApp {
  clientId: string;
  secret?: string;
  /** PEM certificate whose private key signs client assertions. */
  certificatePem?: string;
}

export interface TokenEndpointOptions {
  tls: { key: string; cert: string };
  tenantId: string;
  apps: RegisteredApp[];
  /** The access token for an app (e.g. an app-only token the Graph fake accepts). */
  mint: (clientId: string) => string | Promise<string>;
  /** Seconds the token is valid (default 3600). */
  expiresIn?: number;
}

export interface TokenEndpoint {
  /** https://127.0.0.1:PORT, for SEPT_AUTHORITY_HOST. */
  authorityHost: string;
  /** Token requests answered with a token. */
  issued(): number;
  /** Token requests refused (bad secret, bad assertion), with Entra's error code. */
  refusals(): string[];
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const b64url = (text: string) => Buffer.from(text, "base64url");

/** Checks a client assertion (RFC 7523) the way Entra does: signature, audience, issuer, expiry. */
function assertionProblem(
  assertion: string,
  app: RegisteredApp,
  tokenEndpoint: string,
): string | null {
  if (!app.certificatePem) return "AADSTS700027";
  const parts = assertion.split(".");
  if (parts.length !== 3) return "AADSTS50027";
  const [head = "", body = "", signature = ""] = parts;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(b64url(head).toString("utf8")) as Record<string, unknown>;
    claims = JSON.parse(b64url(body).toString("utf8")) as Record<string, unknown>;
  } catch {
    return "AADSTS50027";
  }
  const cert = new X509Certificate(app.certificatePem);
  const key = createPublicKey(cert.publicKey.export({ type: "spki", format: "pem" }));
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${head}.${body}`);
  const ok =
    header.alg === "PS256"
      ? verifier.verify(
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          b64url(signature),
        )
      : header.alg === "RS256" && verifier.verify(key, b64url(signature));
  if (!ok) return "AADSTS700027";
  if (claims.aud !== tokenEndpoint) return "AADSTS700016";
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) return "AADSTS700021";
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return "AADSTS700024";
  return null;
}

export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  let issued = 0;
  const refusals: string[] = [];
  let origin = "";
  const tenantPath = `/${options.tenantId}`;

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const tokenEndpoint = `${origin}${tenantPath}/oauth2/v2.0/token`;
    if (req.method === "GET" && path === `${tenantPath}/v2.0/.well-known/openid-configuration`) {
      json(res, 200, {
        issuer: `${origin}${tenantPath}/v2.0`,
        token_endpoint: tokenEndpoint,
        authorization_endpoint: `${origin}${tenantPath}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${origin}${tenantPath}/oauth2/v2.0/logout`,
        jwks_uri: `${origin}${tenantPath}/discovery/v2.0/keys`,
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
      });
      return;
    }
    if (req.method === "POST" && path === `${tenantPath}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(await readBody(req));
      const refuse = (code: string, error = "invalid_client") => {
        refusals.push(code);
        json(res, 401, {
          error,
          error_description: `${code}: refused by the stand-in.`,
          error_codes: [],
        });
      };
      if (form.get("grant_type") !== "client_credentials") {
        refuse("AADSTS70003", "unsupported_grant_type");
        return;
      }
      const app = options.apps.find((a) => a.clientId === form.get("client_id"));
      if (!app) return refuse("AADSTS700016", "unauthorized_client");
      const scope = form.get("scope") ?? "";
      if (!scope.split(" ").some((s) => s.endsWith("/.default"))) {
        // Client credentials take only the resource's `/.default` scope.
        return refuse("AADSTS1002012", "invalid_scope");
      }
      const secret = form.get("client_secret");
      const assertion = form.get("client_assertion");
      if (secret !== null) {
        if (!app.secret || secret !== app.secret) return refuse("AADSTS7000215");
      } else if (assertion !== null) {
        if (
          form.get("client_assertion_type") !==
          "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ) {
          return refuse("AADSTS50027");
        }
        const problem = assertionProblem(assertion, app, tokenEndpoint);
        if (problem) return refuse(problem);
      } else {
        return refuse("AADSTS7000216");
      }
      issued++;
      const expiresIn = options.expiresIn ?? 3600;
      json(res, 200, {
        token_type: "Bearer",
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: await options.mint(app.clientId),
      });
      return;
    }
    json(res, 404, { error: "not_found" });
  };

  const server: Server = createServer(
    { key: options.tls.key, cert: options.tls.cert },
    (req, res) => {
      handler(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // 127.0.0.1, which the test certificate names too: `localhost` may resolve to ::1 first.
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    authorityHost: origin,
    issued: () => issued,
    refusals: () => [...refusals],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
