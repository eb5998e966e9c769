// Nested app authentication: Outlook brokers the tokens through MSAL's NAA bridge. Silent first;
// a popup the host shows when the user is needed; the Office dialog when the host cannot show one.
import {
  createNestablePublicClientApplication,
  PublicClientApplication,
  type Configuration,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { SeptError } from "../../core/errors.js";
import { needsInteraction, signInError, silentOnlyError } from "./sign-in-errors.js";

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The NAA client, or null when MSAL found no bridge and fell back to its standard client.
 * Rejects when the host's bridge does not introduce itself within `timeoutMs`.
 */
export function connectNestedApp(
  config: Configuration,
  timeoutMs: number,
): Promise<IPublicClientApplication | null> {
  return withTimeout(
    createNested(config),
    timeoutMs,
    () => new SeptError("timeout", { message: "nested app auth bridge did not answer" }),
  );
}

async function createNested(config: Configuration): Promise<IPublicClientApplication | null> {
  let nested = false;
  const pca = await createNestablePublicClientApplication(
    config,
    undefined,
    (configuration, controller) => {
      // MSAL calls this factory only when the host's bridge answered: the nested controller.
      nested = true;
      return new PublicClientApplication(configuration, controller);
    },
  );
  // Its standard client would open browser popups from inside Outlook's frame, where their
  // answer cannot come back (storage partitioning): the Office dialog is the reliable path.
  return nested ? pca : null;
}

export interface NestedTokenRequest {
  wanted: string[];
  interactive: boolean;
  forceRefresh: boolean;
  loginHint: () => string | undefined;
  silentMs: number;
  interactiveMs: number;
  /** Runs an interactive step when no other one is running. */
  serialized: <T>(task: () => Promise<T>) => Promise<T>;
  /** The Office dialog's sign-in, or null when the host has no dialog API. */
  dialogFallback: () => (() => Promise<string>) | null;
}

export async function nestedToken(
  pca: IPublicClientApplication,
  request: NestedTokenRequest,
): Promise<string> {
  const { wanted, forceRefresh } = request;
  const msalRequest = () => {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    const loginHint = request.loginHint();
    return {
      scopes: wanted,
      ...(forceRefresh ? { forceRefresh } : {}),
      ...(account ? { account } : loginHint ? { loginHint } : {}),
    };
  };
  try {
    const result = await withTimeout(
      pca.acquireTokenSilent(msalRequest()),
      request.silentMs,
      () => new SeptError("timeout", { message: "silent sign-in timed out", retryable: true }),
    );
    return result.accessToken;
  } catch (error) {
    if (error instanceof SeptError) throw error;
    if (!needsInteraction(error)) throw signInError(error);
    if (!request.interactive) throw silentOnlyError(error);
  }
  return request.serialized(async () => {
    try {
      const result = await withTimeout(
        pca.acquireTokenPopup(msalRequest()),
        request.interactiveMs,
        () => new SeptError("timeout", { message: "interactive sign-in timed out" }),
      );
      pca.setActiveAccount(result.account);
      return result.accessToken;
    } catch (error) {
      const mapped = signInError(error);
      // The host could not show its own prompt: the Office dialog still can.
      const fallback = mapped.code === "popup_blocked" ? request.dialogFallback() : null;
      if (fallback) return fallback();
      throw mapped;
    }
  });
}
