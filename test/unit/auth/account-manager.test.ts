// The AccountManager against the real MSAL code (jsdom): nested app auth through a fake host
// bridge, and the Office dialog fallback through a fake dialog API. No network anywhere.
import { afterEach, describe, expect, it } from "vitest";
import {
  createAccountManager,
  type AccountManagerOptions,
} from "../../../src/adapters/auth/account-manager.js";
import {
  AUTH_DIALOG_PROTOCOL,
  readAuthDialogRequest,
} from "../../../src/adapters/auth/auth-dialog-protocol.js";
import { SeptError } from "../../../src/core/errors.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import { createFakeOffice } from "../../support/fake-office.js";
import { installFakeDialogApi, type DialogScript } from "../../support/fake-office-dialog.js";
import { installFakeNaaBridge, NAA_USER, type FakeNaaBridge } from "../../support/naa-bridge.js";

const CLIENT_ID = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";
const AUTH_PAGE = "https://addin.contoso.example/auth.html";
const HOUR = 3_600_000;

let bridge: FakeNaaBridge | null = null;
afterEach(() => {
  bridge?.uninstall();
  bridge = null;
});

function office(options: { naa: boolean }) {
  const fake = createFakeOffice({
    requirements: options.naa ? { Mailbox: "1.14", NestedAppAuth: "1.1" } : { Mailbox: "1.14" },
  });
  fake.runtime.context.mailbox.userProfile = {
    displayName: NAA_USER.name,
    emailAddress: NAA_USER.username,
  };
  return fake.runtime;
}

function manager(runtime: ReturnType<typeof office>, extra: Partial<AccountManagerOptions> = {}) {
  return createAccountManager({
    clientId: CLIENT_ID,
    tenant: "organizations",
    authPageUrl: AUTH_PAGE,
    runtime: () => runtime,
    // MSAL's own waits, shortened: no test may sit on a 10 s iframe or 60 s popup timeout.
    msalSystem: {
      iframeBridgeTimeout: 200,
      popupBridgeTimeout: 200,
      redirectNavigationTimeout: 200,
    },
    timeouts: { nestedInitMs: 300, silentMs: 1000, interactiveMs: 1000 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<SeptError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeptError);
  return error as SeptError;
}

function dialogSuccess(
  scopes: string[],
  overrides: { token?: string; expiresOn?: number } = {},
): string {
  return JSON.stringify({
    protocol: AUTH_DIALOG_PROTOCOL,
    status: "success",
    accessToken: overrides.token ?? `dialog-token-${scopes.join("+")}`,
    expiresOn: overrides.expiresOn ?? Date.now() + HOUR,
    scopes,
    account: {
      name: NAA_USER.name,
      username: NAA_USER.username,
      homeAccountId: `${NAA_USER.oid}.${NAA_USER.tid}`,
    },
  });
}

/** A dialog that signs in for whatever scopes it was opened with. */
const signsIn = (url: URL): DialogScript => ({
  message: dialogSuccess(readAuthDialogRequest(url).scopes),
});

describe("sign-in flow decision", () => {
  it("uses nested app auth when Outlook supports NestedAppAuth 1.1 and its bridge answers", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: true }));
    expect(await auth.flow()).toBe("nested");
    expect(bridge.requests[0]?.method).toBe("GetInitContext");
  });

  it("uses the Office dialog when Outlook lacks NestedAppAuth 1.1, even if a bridge exists", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: false }));
    expect(await auth.flow()).toBe("dialog");
    expect(bridge.requests).toEqual([]);
  });

  it("uses the dialog when the host claims NestedAppAuth but MSAL finds no bridge", async () => {
    // MSAL falls back to its standard client here; SEPT does not let it open browser popups.
    const auth = manager(office({ naa: true }));
    expect(await auth.flow()).toBe("dialog");
  });

  it("uses the dialog when the host's bridge never answers, after a short wait", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID, init: "hang" });
    const started = Date.now();
    const auth = manager(office({ naa: true }), { timeouts: { nestedInitMs: 100 } });
    expect(await auth.flow()).toBe("dialog");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails with unsupported_host when there is neither NAA nor a dialog API", async () => {
    const auth = manager(office({ naa: false }));
    const error = await failure(auth.getAccessToken([GRAPH_SCOPES.profile]));
    expect(error.code).toBe("unsupported_host");
  });
});

describe("nested app authentication (the real MSAL nested client, a fake Outlook bridge)", () => {
  it("returns the token the host's bridge issued, asked silently for exactly the scopes given", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: true }));
    const token = await auth.getAccessToken([GRAPH_SCOPES.profile]);
    expect(token).toBe(bridge.issued[0]);
    const call = bridge.requests.find((r) => r.method === "GetToken");
    expect(call?.tokenParams).toMatchObject({ clientId: CLIENT_ID, scope: "User.Read" });
    expect(bridge.requests.some((r) => r.method === "GetTokenPopup")).toBe(false);
    expect(await auth.account()).toEqual({ name: NAA_USER.name, username: NAA_USER.username });
  });

  it("asks for more scopes only when a caller needs them (incremental consent)", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: true }));
    await auth.getAccessToken([GRAPH_SCOPES.profile]);
    await auth.getAccessToken([GRAPH_SCOPES.profile, GRAPH_SCOPES.mail]);
    const scopes = bridge.requests
      .filter((r) => r.method === "GetToken")
      .map((r) => r.tokenParams?.scope);
    expect(scopes).toEqual(["User.Read", "User.Read Mail.Read"]);
    expect(scopes.join(" ")).not.toMatch(/ReadWrite(?!\.AppFolder)|\.All/);
  });

  it("serves a repeated request from MSAL's cache without asking the host again", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: true }));
    const first = await auth.getAccessToken([GRAPH_SCOPES.mail]);
    const second = await auth.getAccessToken([GRAPH_SCOPES.mail]);
    expect(second).toBe(first);
    expect(bridge.requests.filter((r) => r.method === "GetToken")).toHaveLength(1);
  });

  it("prompts through the host (GetTokenPopup) only when silent sign-in needs the user", async () => {
    bridge = installFakeNaaBridge({
      clientId: CLIENT_ID,
      silent: () => ({
        error: { status: "USER_INTERACTION_REQUIRED", code: "consent_required", description: "" },
      }),
      interactive: () => ({ token: "after-consent" }),
    });
    const auth = manager(office({ naa: true }));
    expect(await auth.getAccessToken([GRAPH_SCOPES.storage])).toBe("after-consent");
    expect(bridge.requests.map((r) => r.method)).toEqual([
      "GetInitContext",
      "GetToken",
      "GetTokenPopup",
    ]);
  });

  it("does not prompt for work the user did not start: auth_required instead", async () => {
    bridge = installFakeNaaBridge({
      clientId: CLIENT_ID,
      silent: () => ({ error: { status: "USER_INTERACTION_REQUIRED", code: "login_required" } }),
    });
    const auth = manager(office({ naa: true }));
    const error = await failure(auth.getAccessToken([GRAPH_SCOPES.mail], { interactive: false }));
    expect(error.code).toBe("auth_required");
    expect(bridge.requests.some((r) => r.method === "GetTokenPopup")).toBe(false);
  });

  it.each([
    [{ status: "USER_CANCEL" }, "sign_in_cancelled"],
    [
      {
        status: "PERSISTENT_ERROR",
        code: "access_denied",
        description: "AADSTS90094: The grant requires admin permission.",
      },
      "consent_denied_by_tenant",
    ],
    [{ status: "NO_NETWORK" }, "network"],
    [
      { status: "PERSISTENT_ERROR", code: "invalid_client", description: "AADSTS700016" },
      "sign_in_failed",
    ],
  ] as const)("maps the host's answer %j to %s", async (bridgeError, code) => {
    bridge = installFakeNaaBridge({
      clientId: CLIENT_ID,
      silent: () => ({
        error: { status: "USER_INTERACTION_REQUIRED", code: "interaction_required" },
      }),
      interactive: () => ({ error: bridgeError }),
    });
    const auth = manager(office({ naa: true }));
    const error = await failure(auth.getAccessToken([GRAPH_SCOPES.profile]));
    expect(error.code).toBe(code);
    expect(error.messageKey).toBe(`errors.${code}`);
  });

  it("gives up on a silent request the host never answers, with a typed timeout", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID, silent: () => "hang" });
    const auth = manager(office({ naa: true }), {
      timeouts: { nestedInitMs: 300, silentMs: 100, interactiveMs: 1000 },
    });
    const error = await failure(auth.getAccessToken([GRAPH_SCOPES.profile]));
    expect(error.code).toBe("timeout");
  });

  it("forgets its tokens on clearCache, and leaves sign-out to Outlook", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const auth = manager(office({ naa: true }));
    await auth.getAccessToken([GRAPH_SCOPES.profile]);
    await auth.clearCache();
    await auth.getAccessToken([GRAPH_SCOPES.profile]);
    expect(bridge.requests.filter((r) => r.method === "GetToken")).toHaveLength(2);
    expect(await auth.signOut()).toBe("host_managed");
  });
});

describe("the Office dialog fallback", () => {
  it("opens auth.html with the scopes, keeps the login hint out of the query, and returns its token", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, signsIn);
    const auth = manager(runtime);
    expect(await auth.getAccessToken([GRAPH_SCOPES.profile, GRAPH_SCOPES.mail])).toBe(
      "dialog-token-User.Read+Mail.Read",
    );
    const url = dialogs.opened[0];
    expect(url?.origin + (url?.pathname ?? "")).toBe(AUTH_PAGE);
    expect(url?.searchParams.get("mode")).toBe("signin");
    expect(url?.searchParams.get("scopes")).toBe("User.Read Mail.Read");
    expect(url?.search).not.toContain("alex.martin");
    expect(url?.hash).toContain(encodeURIComponent(NAA_USER.username));
    expect(dialogs.closed).toBe(1);
    expect(await auth.account()).toEqual({ name: NAA_USER.name, username: NAA_USER.username });
  });

  it("reuses the dialog's token silently until it nears expiry", async () => {
    let now = Date.now();
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, (url, i) => ({
      message: dialogSuccess(readAuthDialogRequest(url).scopes, {
        token: `t${i}`,
        expiresOn: now + HOUR,
      }),
    }));
    const auth = manager(runtime, { now: () => now });
    expect(await auth.getAccessToken([GRAPH_SCOPES.mail])).toBe("t0");
    expect(await auth.getAccessToken([GRAPH_SCOPES.mail])).toBe("t0");
    expect(dialogs.opened).toHaveLength(1);
    now += HOUR - 60_000; // one minute left: renew
    expect(await auth.getAccessToken([GRAPH_SCOPES.mail])).toBe("t1");
    expect(dialogs.opened).toHaveLength(2);
  });

  it("opens the dialog again only for scopes no token covers", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, signsIn);
    const auth = manager(runtime);
    await auth.getAccessToken([GRAPH_SCOPES.profile, GRAPH_SCOPES.mail]);
    await auth.getAccessToken([GRAPH_SCOPES.mail]);
    await auth.getAccessToken([GRAPH_SCOPES.storage]);
    expect(dialogs.opened.map((u) => u.searchParams.get("scopes"))).toEqual([
      "User.Read Mail.Read",
      "Files.ReadWrite.AppFolder",
    ]);
  });

  it("opens one dialog for requests that arrive together", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, signsIn);
    const auth = manager(runtime);
    const tokens = await Promise.all([
      auth.getAccessToken([GRAPH_SCOPES.mail]),
      auth.getAccessToken([GRAPH_SCOPES.mail]),
      auth.getAccessToken([GRAPH_SCOPES.mail]),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(dialogs.opened).toHaveLength(1);
  });

  it("never opens a dialog for work the user did not start", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, signsIn);
    const auth = manager(runtime);
    const error = await failure(auth.getAccessToken([GRAPH_SCOPES.mail], { interactive: false }));
    expect(error.code).toBe("auth_required");
    expect(dialogs.opened).toHaveLength(0);
  });

  it.each([
    [{ event: 12006 }, "sign_in_cancelled", "the user closed the dialog"],
    [{ fail: 12009 }, "popup_blocked", "the user ignored Outlook on the web's prompt"],
    [{ fail: 12011 }, "popup_blocked", "the browser blocked the dialog"],
    [{ fail: 12004 }, "sign_in_failed", "auth.html is not on the add-in's domain"],
  ] as const)("%j → %s (%s)", async (step, code, _why) => {
    const runtime = office({ naa: false });
    installFakeDialogApi(runtime, () => step);
    const error = await failure(manager(runtime).getAccessToken([GRAPH_SCOPES.profile]));
    expect(error.code).toBe(code);
  });

  it("passes on a refusal the dialog reports, with its support code", async () => {
    const runtime = office({ naa: false });
    installFakeDialogApi(runtime, () => ({
      message: JSON.stringify({
        protocol: AUTH_DIALOG_PROTOCOL,
        status: "error",
        code: "consent_denied_by_tenant",
        detail: "AADSTS90094",
      }),
    }));
    const error = await failure(manager(runtime).getAccessToken([GRAPH_SCOPES.mail]));
    expect(error.code).toBe("consent_denied_by_tenant");
    expect(error.params.detail).toBe("AADSTS90094");
  });

  it("ignores messages from another origin and messages that are not ours", async () => {
    const runtime = office({ naa: false });
    installFakeDialogApi(runtime, (url) => ({
      messages: [
        {
          message: dialogSuccess(["Mail.Read"], { token: "forged" }),
          origin: "https://evil.example",
        },
        { message: "not json" },
        { message: JSON.stringify({ status: "success", accessToken: "no-protocol" }) },
        { message: dialogSuccess(readAuthDialogRequest(url).scopes, { token: "genuine" }) },
      ],
    }));
    expect(await manager(runtime).getAccessToken([GRAPH_SCOPES.mail])).toBe("genuine");
  });

  it("times out a dialog that never answers, and closes it", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, () => ({ hang: true }));
    const auth = manager(runtime, { timeouts: { interactiveMs: 100 } });
    expect((await failure(auth.getAccessToken([GRAPH_SCOPES.mail]))).code).toBe("timeout");
    expect(dialogs.open).toBe(0);
  });

  it("signs out: forgets its tokens and ends the Entra session in a sign-out dialog", async () => {
    const runtime = office({ naa: false });
    const dialogs = installFakeDialogApi(runtime, (url) =>
      readAuthDialogRequest(url).mode === "signout"
        ? { message: JSON.stringify({ protocol: AUTH_DIALOG_PROTOCOL, status: "signed_out" }) }
        : signsIn(url),
    );
    const auth = manager(runtime);
    await auth.getAccessToken([GRAPH_SCOPES.mail]);
    expect(await auth.signOut()).toBe("signed_out");
    expect(await auth.account()).toBeNull();
    expect(dialogs.opened[1]?.searchParams.get("mode")).toBe("signout");
    await auth.getAccessToken([GRAPH_SCOPES.mail]);
    expect(dialogs.opened).toHaveLength(3);
  });

  it("signs out locally when the sign-out dialog cannot open", async () => {
    const runtime = office({ naa: false });
    installFakeDialogApi(runtime, (url) =>
      readAuthDialogRequest(url).mode === "signout" ? { fail: 12009 } : signsIn(url),
    );
    const auth = manager(runtime);
    await auth.getAccessToken([GRAPH_SCOPES.mail]);
    expect(await auth.signOut()).toBe("signed_out_locally");
    expect(await auth.account()).toBeNull();
  });
});
