// @vitest-environment-options {"url": "https://addin.contoso.example/auth.html"}
// The sign-in dialog page (auth.html) running MSAL's real redirect flow: MSAL's navigation and
// network clients are replaced by a fake Entra that records where MSAL sends the browser and
// answers the token endpoint, so the whole authorization-code + PKCE round trip runs offline.
import type { INavigationClient, INetworkModule, NetworkResponse } from "@azure/msal-browser";
import { beforeEach, describe, expect, it } from "vitest";
import {
  parseDialogMessage,
  type AuthDialogMessage,
} from "../../../src/adapters/auth/auth-dialog-protocol.js";
import type { MessageKey } from "../../../src/core/i18n/index.js";
import { runAuthDialog } from "../../../src/auth-dialog/auth-dialog.js";
import { createFakeOffice } from "../../support/fake-office.js";
import { fakeIdToken, NAA_USER } from "../../support/naa-bridge.js";

const CLIENT_ID = "11111111-2222-4333-8444-555555555555";
const AUTH_PAGE = "https://addin.contoso.example/auth.html";
const TOKEN_ENDPOINT = "https://login.microsoftonline.com/organizations/oauth2/v2.0/token";

interface FakeEntra {
  navigations: URL[];
  tokenRequests: URLSearchParams[];
  network: INetworkModule;
  navigation: INavigationClient;
}

function fakeEntra(options: { tokenStatus?: number; tokenBody?: unknown } = {}): FakeEntra {
  const navigations: URL[] = [];
  const tokenRequests: URLSearchParams[] = [];
  const lastNonce = () =>
    [...navigations]
      .reverse()
      .find((u) => u.searchParams.has("nonce"))
      ?.searchParams.get("nonce");
  const network: INetworkModule = {
    async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
      throw new Error(`unexpected GET ${url}`);
    },
    async sendPostRequestAsync<T>(
      url: string,
      init?: { body?: string },
    ): Promise<NetworkResponse<T>> {
      const endpoint = new URL(url);
      if (endpoint.origin + endpoint.pathname !== TOKEN_ENDPOINT) {
        throw new Error(`unexpected POST ${url}`);
      }
      const form = new URLSearchParams(init?.body ?? "");
      tokenRequests.push(form);
      const body = options.tokenBody ?? {
        token_type: "Bearer",
        scope: `${form.get("scope") ?? ""}`,
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: "entra-access-token",
        refresh_token: "entra-refresh-token",
        id_token: fakeIdToken(NAA_USER, CLIENT_ID, lastNonce() ?? undefined),
        client_info: Buffer.from(
          JSON.stringify({ uid: NAA_USER.oid, utid: NAA_USER.tid }),
        ).toString("base64url"),
      };
      return { headers: {}, status: options.tokenStatus ?? 200, body: body as T };
    },
  };
  const navigation: INavigationClient = {
    async navigateExternal(url: string) {
      navigations.push(new URL(url));
      return true;
    },
    async navigateInternal(url: string) {
      navigations.push(new URL(url));
      return true;
    },
  };
  return { navigations, tokenRequests, network, navigation };
}

function setUrl(pathAndMore: string): void {
  window.history.replaceState(null, "", pathAndMore);
}

async function runDialog(entra: FakeEntra) {
  const fake = createFakeOffice();
  const sent: AuthDialogMessage[] = [];
  const shown: MessageKey[] = [];
  fake.runtime.context.ui = {
    messageParent(message: string) {
      const parsed = parseDialogMessage(message);
      if (!parsed) throw new Error(`malformed message ${message}`);
      sent.push(parsed);
    },
  };
  const outcome = await runAuthDialog({
    runtime: fake.runtime,
    clientId: CLIENT_ID,
    tenant: "organizations",
    location: window.location,
    show: (key) => shown.push(key),
    msalSystem: {
      networkClient: entra.network,
      navigationClient: entra.navigation,
      redirectNavigationTimeout: 200,
    },
  });
  return { outcome, sent, shown };
}

const SIGN_IN = `/auth.html?mode=signin&scopes=User.Read%20Mail.Read#hint=${encodeURIComponent(NAA_USER.username)}`;

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe("the sign-in dialog page", () => {
  it("asks Entra only for SEPT's own scopes, whatever a crafted link asks for", async () => {
    const crafted = [
      "User.Read",
      "Mail.ReadWrite",
      "Files.ReadWrite.All",
      "https://graph.microsoft.com/Directory.ReadWrite.All",
      "https://outlook.office.com/Mail.Send",
      "https://graph.microsoft.com/files.readwrite.appfolder",
    ].join(" ");
    setUrl(`/auth.html?mode=signin&scopes=${encodeURIComponent(crafted)}`);
    const entra = fakeEntra();
    const { outcome } = await runDialog(entra);
    expect(outcome).toBe("navigating");
    const scopes = entra.navigations[0]?.searchParams.get("scope")?.split(" ") ?? [];
    const graph = scopes.filter((s) => !["openid", "profile", "offline_access"].includes(s));
    expect(graph.sort()).toEqual(["Files.ReadWrite.AppFolder", "User.Read"]);
  });

  it("signs in with the profile only when a link asks for nothing SEPT uses", async () => {
    setUrl(`/auth.html?mode=signin&scopes=${encodeURIComponent("Sites.FullControl.All")}`);
    const entra = fakeEntra();
    await runDialog(entra);
    const scopes = entra.navigations[0]?.searchParams.get("scope")?.split(" ") ?? [];
    expect(scopes.filter((s) => !["openid", "profile", "offline_access"].includes(s))).toEqual([
      "User.Read",
    ]);
  });

  it("starts MSAL's redirect to Entra with the pane's scopes, PKCE and the login hint", async () => {
    setUrl(SIGN_IN);
    const entra = fakeEntra();
    const { outcome, sent, shown } = await runDialog(entra);
    expect(outcome).toBe("navigating");
    expect(sent).toEqual([]);
    expect(shown).toEqual(["signin.dialog.working"]);
    const authorize = entra.navigations[0];
    expect(authorize?.origin + (authorize?.pathname ?? "")).toBe(
      "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
    );
    const q = authorize?.searchParams;
    expect(q?.get("client_id")).toBe(CLIENT_ID);
    expect(q?.get("redirect_uri")).toBe(AUTH_PAGE);
    expect(q?.get("response_type")).toBe("code");
    expect(q?.get("code_challenge_method")).toBe("S256");
    expect(q?.get("login_hint")).toBe(NAA_USER.username);
    expect(q?.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["User.Read", "Mail.Read", "openid", "profile"]),
    );
    // Least privilege: the dialog asks for what the pane asked for, nothing broader.
    expect(q?.get("scope")).not.toMatch(/ReadWrite|\.All/);
    // Nothing from this page is kept beyond the session: no token anywhere in localStorage.
    expect(window.localStorage.length).toBe(0);
  });

  it("completes the round trip: redeems Entra's code with the PKCE verifier and messages the token to the pane", async () => {
    setUrl(SIGN_IN);
    const entra = fakeEntra();
    await runDialog(entra);
    const state = entra.navigations[0]?.searchParams.get("state") ?? "";
    const clientInfo = Buffer.from(
      JSON.stringify({ uid: NAA_USER.oid, utid: NAA_USER.tid }),
    ).toString("base64url");
    // Entra sends the browser back to the registered redirect URI, auth.html itself.
    setUrl(
      `/auth.html#code=fake-code&client_info=${clientInfo}&state=${encodeURIComponent(state)}`,
    );
    const { outcome, sent, shown } = await runDialog(entra);
    expect(outcome).toBe("answered");
    const redeem = entra.tokenRequests[0];
    expect(redeem?.get("grant_type")).toBe("authorization_code");
    expect(redeem?.get("code")).toBe("fake-code");
    expect(redeem?.get("redirect_uri")).toBe(AUTH_PAGE);
    expect(redeem?.get("code_verifier")?.length).toBeGreaterThan(40);
    expect(sent).toHaveLength(1);
    const answer = sent[0];
    expect(answer?.status).toBe("success");
    if (answer?.status !== "success") return;
    expect(answer.accessToken).toBe("entra-access-token");
    expect(answer.scopes).toEqual(expect.arrayContaining(["User.Read", "Mail.Read"]));
    expect(answer.account).toMatchObject({ username: NAA_USER.username, name: NAA_USER.name });
    expect(answer.expiresOn).toBeGreaterThan(Date.now());
    expect(shown.at(-1)).toBe("signin.dialog.done");
    expect(window.localStorage.length).toBe(0);
  });

  it.each([
    ["AADSTS65004: User declined to consent to access the app.", "sign_in_cancelled"],
    ["AADSTS90094: The grant requires admin permission.", "consent_denied_by_tenant"],
  ] as const)("reports Entra's refusal %j to the pane as %s", async (description, code) => {
    setUrl(SIGN_IN);
    const entra = fakeEntra();
    await runDialog(entra);
    const state = entra.navigations[0]?.searchParams.get("state") ?? "";
    setUrl(
      `/auth.html#error=access_denied&error_description=${encodeURIComponent(description)}&state=${encodeURIComponent(state)}`,
    );
    const { outcome, sent } = await runDialog(entra);
    expect(outcome).toBe("answered");
    expect(sent).toEqual([
      { protocol: "sept-auth/1", status: "error", code, detail: description.slice(0, 11) },
    ]);
    expect(entra.tokenRequests).toHaveLength(0);
  });

  it("signs out through Entra's logout page and tells the pane when it comes back", async () => {
    setUrl(`/auth.html?mode=signout#hint=${encodeURIComponent(NAA_USER.username)}`);
    const entra = fakeEntra();
    const first = await runDialog(entra);
    expect(first.outcome).toBe("navigating");
    const logout = entra.navigations[0];
    expect(logout?.pathname).toBe("/organizations/oauth2/v2.0/logout");
    const back = new URL(logout?.searchParams.get("post_logout_redirect_uri") ?? "");
    expect(back.origin + back.pathname).toBe(AUTH_PAGE);
    expect(logout?.searchParams.get("logout_hint")).toBe(NAA_USER.username);

    setUrl(back.pathname + back.search);
    const second = await runDialog(entra);
    expect(second.sent).toEqual([{ protocol: "sept-auth/1", status: "signed_out" }]);
  });
});
