// A fake host for nested app authentication: the `window.nestedAppAuthBridge` Outlook injects,
// speaking MSAL's bridge protocol (JSON strings: NestedAppAuthRequest in, response envelopes
// out; see @azure/msal-browser dist/naa/BridgeProxy.mjs). It lets the real MSAL code run its
// nested path with no network and no Outlook.

export interface FakeNaaUser {
  oid: string;
  tid: string;
  username: string;
  name: string;
}

export const NAA_USER: FakeNaaUser = {
  oid: "00000000-0000-0000-0000-0000000a1e11",
  tid: "72f988bf-0000-4000-8000-00000000c0de",
  username: "alex.martin@contoso-build.example",
  name: "Alex Martin",
};

export interface BridgeRequest {
  method: "GetInitContext" | "GetToken" | "GetTokenPopup" | string;
  requestId: string;
  tokenParams?: { clientId: string; scope: string; authority?: string; correlationId: string };
}

/** What the host answers to a token request: a token, or a bridge error status. */
export type TokenAnswer =
  | { token: string; scope?: string; expiresIn?: number }
  | { error: { status: string; code?: string; description?: string } }
  /** Never answer (a hung host). */
  | "hang";

export interface FakeNaaBridgeOptions {
  user?: FakeNaaUser;
  clientId: string;
  /** "hang": never answer GetInitContext. */
  init?: "answer" | "hang";
  /** Answers for GetToken (silent) and GetTokenPopup (interactive); default: issue a token. */
  silent?: (request: BridgeRequest) => TokenAnswer;
  interactive?: (request: BridgeRequest) => TokenAnswer;
}

export interface FakeNaaBridge {
  requests: BridgeRequest[];
  /** Tokens issued so far, in order. */
  issued: string[];
  /** Each issued token with the scopes it was asked for (what Entra would have put in `scp`). */
  grants: Array<{ token: string; scope: string }>;
  uninstall(): void;
}

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** An unsigned id token with the claims MSAL reads (it does not verify signatures). */
export function fakeIdToken(user: FakeNaaUser, clientId: string, nonce?: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: clientId,
    iss: `https://login.microsoftonline.com/${user.tid}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: user.name,
    oid: user.oid,
    preferred_username: user.username,
    sub: `sub-${user.oid}`,
    tid: user.tid,
    ver: "2.0",
    ...(nonce ? { nonce } : {}),
  };
  return `${base64Url({ alg: "none", typ: "JWT" })}.${base64Url(claims)}.c2ln`;
}

let counter = 0;

export function installFakeNaaBridge(options: FakeNaaBridgeOptions): FakeNaaBridge {
  const user = options.user ?? NAA_USER;
  const listeners = new Set<(response: string) => void>();
  const requests: BridgeRequest[] = [];
  const issued: string[] = [];
  const grants: Array<{ token: string; scope: string }> = [];
  const reply = (envelope: Record<string, unknown>) => {
    const json = JSON.stringify({ messageType: "NestedAppAuthResponse", ...envelope });
    setTimeout(() => listeners.forEach((listener) => listener(json)), 0);
  };
  const defaultAnswer = (): TokenAnswer => ({ token: `naa-access-${++counter}` });
  const account = {
    homeAccountId: `${user.oid}.${user.tid}`,
    environment: "login.microsoftonline.com",
    tenantId: user.tid,
    username: user.username,
    localAccountId: user.oid,
    name: user.name,
  };

  const bridge = {
    addEventListener(_event: string, listener: (response: string) => void) {
      listeners.add(listener);
    },
    removeEventListener(_event: string, listener: (response: string) => void) {
      listeners.delete(listener);
    },
    postMessage(message: string) {
      const request = JSON.parse(message) as BridgeRequest;
      requests.push(request);
      if (request.method === "GetInitContext") {
        if (options.init === "hang") return;
        reply({
          requestId: request.requestId,
          success: true,
          initContext: {
            sdkName: "fake-outlook",
            sdkVersion: "1.0",
            accountContext: {
              homeAccountId: account.homeAccountId,
              environment: account.environment,
              tenantId: user.tid,
            },
            capabilities: { queryAccount: false },
          },
        });
        return;
      }
      const answer =
        (request.method === "GetTokenPopup" ? options.interactive : options.silent)?.(request) ??
        defaultAnswer();
      if (answer === "hang") return;
      if ("error" in answer) {
        reply({ requestId: request.requestId, success: false, error: answer.error });
        return;
      }
      issued.push(answer.token);
      grants.push({ token: answer.token, scope: answer.scope ?? request.tokenParams?.scope ?? "" });
      reply({
        requestId: request.requestId,
        success: true,
        token: {
          access_token: answer.token,
          expires_in: answer.expiresIn ?? 3600,
          id_token: fakeIdToken(user, options.clientId),
          scope: answer.scope ?? request.tokenParams?.scope ?? "",
          properties: null,
        },
        account,
      });
    },
  };
  (window as unknown as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge = bridge;
  return {
    requests,
    issued,
    grants,
    uninstall() {
      listeners.clear();
      delete (window as unknown as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge;
    },
  };
}
