import type { AuthPort } from "../../core/ports/auth.js";
import { createAccountManager } from "./account-manager.js";

export interface MsalOptions {
  clientId: string;
  tenant: string;
  /** Any page of the add-in (historically taskpane.html): auth.html is found beside it. */
  redirectUri: string;
}

/**
 * Kept for the composition root's existing import: sign-in now lives in the AccountManager
 * (account-manager.ts). MSAL's redirect URI and the dialog page are auth.html, next to the page
 * named here.
 */
export function createMsalTokenProvider(options: MsalOptions): AuthPort {
  return createAccountManager({
    clientId: options.clientId,
    tenant: options.tenant,
    authPageUrl: new URL("auth.html", options.redirectUri).toString(),
  });
}
