import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { SeptError } from "../../core/errors.js";
import type { AuthPort } from "../../core/ports/auth.js";

export interface MsalOptions {
  clientId: string;
  tenant: string;
  redirectUri: string;
}

/**
 * Sign-in with MSAL: nested app auth where Outlook offers it (MSAL falls back to its standard
 * client when the host has no NAA bridge). Tokens stay in MSAL's cache, in sessionStorage: it ends
 * with the pane's browser session and is not shared across tabs, a better fit for a task pane than
 * localStorage; our code never stores or logs a token.
 */
export function createMsalTokenProvider(options: MsalOptions): AuthPort {
  let app: Promise<IPublicClientApplication> | null = null;
  const client = () =>
    (app ??= createNestablePublicClientApplication({
      auth: {
        clientId: options.clientId,
        authority: `https://login.microsoftonline.com/${options.tenant}`,
        redirectUri: options.redirectUri,
      },
      cache: { cacheLocation: "sessionStorage" },
    }));

  return {
    async getAccessToken(scopes) {
      const pca = await client();
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      const request = { scopes: [...scopes], ...(account ? { account } : {}) };
      try {
        return (await pca.acquireTokenSilent(request)).accessToken;
      } catch (error) {
        if (!(error instanceof InteractionRequiredAuthError) && account) {
          throw new SeptError("auth_required", { cause: error });
        }
      }
      try {
        const result = await pca.acquireTokenPopup({ scopes: [...scopes] });
        pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (error) {
        throw new SeptError("auth_required", { cause: error });
      }
    },
    async clearCache() {
      const pca = await client();
      await pca.clearCache();
    },
    async account() {
      const pca = await client();
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      return account ? { name: account.name ?? "", username: account.username } : null;
    },
  };
}
