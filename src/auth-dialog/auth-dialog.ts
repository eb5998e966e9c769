// The sign-in dialog's logic (auth.html, opened by the pane through Office's dialog API when
// nested app authentication is unavailable). It runs MSAL's standard redirect flow in this
// top-level window, where Entra's cookies and MSAL's sessionStorage work, then hands the result
// to the pane with messageParent. Kept apart from auth.ts so that tests can drive it.
import {
  PublicClientApplication,
  type AuthenticationResult,
  type BrowserSystemOptions,
} from "@azure/msal-browser";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import {
  AUTH_DIALOG_PROTOCOL,
  encodeDialogMessage,
  readAuthDialogRequest,
  type AuthDialogMessage,
} from "../adapters/auth/auth-dialog-protocol.js";
import { signInError } from "../adapters/auth/sign-in-errors.js";
import type { MessageKey } from "../core/i18n/index.js";
import { allowedScopes } from "../core/ports/auth.js";

export interface AuthDialogDeps {
  runtime: Pick<OfficeRuntime, "context">;
  clientId: string;
  tenant: string;
  location: Pick<Location, "href" | "origin" | "pathname" | "search" | "hash">;
  /** Shows a status line to the user (already translated by the caller). */
  show(key: MessageKey): void;
  /** Tests inject MSAL's network and navigation clients; production passes nothing. */
  msalSystem?: BrowserSystemOptions;
}

/** What the page did: answered the pane, or navigated away to Entra (and will come back). */
export type AuthDialogOutcome = "answered" | "navigating";

function success(result: AuthenticationResult): AuthDialogMessage {
  return {
    protocol: AUTH_DIALOG_PROTOCOL,
    status: "success",
    accessToken: result.accessToken,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 3_600_000,
    scopes: result.scopes,
    account: {
      name: result.account?.name ?? "",
      username: result.account?.username ?? "",
      homeAccountId: result.account?.homeAccountId ?? "",
    },
  };
}

export async function runAuthDialog(deps: AuthDialogDeps): Promise<AuthDialogOutcome> {
  const request = readAuthDialogRequest(deps.location);
  // MSAL's redirect URI: this page without query or fragment, as registered in Entra.
  const authPageUrl = `${deps.location.origin}${deps.location.pathname}`;
  const send = (message: AuthDialogMessage) => {
    deps.runtime.context.ui?.messageParent?.(encodeDialogMessage(message));
  };
  try {
    const pca = new PublicClientApplication({
      auth: {
        clientId: deps.clientId,
        authority: `https://login.microsoftonline.com/${deps.tenant}`,
        redirectUri: authPageUrl,
      },
      // sessionStorage: it must survive the round trip to Entra in this window, and it dies with
      // the dialog. Nothing of it reaches the pane except the one message below.
      cache: { cacheLocation: "sessionStorage" },
      system: { ...deps.msalSystem },
    });
    await pca.initialize();

    if (request.mode === "signout") {
      if (request.signedOut) {
        send({ protocol: AUTH_DIALOG_PROTOCOL, status: "signed_out" });
        deps.show("signin.dialog.done");
        return "answered";
      }
      deps.show("signin.dialog.signingOut");
      const back = new URL(authPageUrl);
      back.search = new URLSearchParams({ mode: "signout", done: "1" }).toString();
      await pca.logoutRedirect({
        postLogoutRedirectUri: back.toString(),
        ...(request.loginHint ? { logoutHint: request.loginHint } : {}),
      });
      return "navigating";
    }

    deps.show("signin.dialog.working");
    // Entra sends the answer to authPageUrl itself (no query): handle it right here rather than
    // navigating back to the start URL first.
    const result = await pca.handleRedirectPromise({ navigateToLoginRequestUrl: false });
    if (result) {
      send(success(result));
      deps.show("signin.dialog.done");
      return "answered";
    }
    await pca.acquireTokenRedirect({
      // Only SEPT's own scopes, whatever the URL asks for: a crafted link must not get a user to
      // grant SEPT's app more than it needs.
      scopes: allowedScopes(request.scopes),
      redirectUri: authPageUrl,
      ...(request.loginHint ? { loginHint: request.loginHint } : {}),
    });
    return "navigating";
  } catch (error) {
    const mapped = signInError(error);
    send({
      protocol: AUTH_DIALOG_PROTOCOL,
      status: "error",
      code: mapped.code,
      detail: String(mapped.params.detail ?? "unknown"),
    });
    return "answered";
  }
}
