// What the pane and its sign-in dialog (auth.html) say to each other. The pane opens the dialog
// with a URL; the dialog answers with one string through Office's messageParent. Both sides parse
// with the functions here, so a message either has the right shape or is refused.
import type { ErrorCode } from "../../core/errors.js";

export const AUTH_DIALOG_PROTOCOL = "sept-auth/1";

export interface AuthDialogAccount {
  name: string;
  username: string;
  homeAccountId: string;
}

export type AuthDialogMessage =
  | {
      protocol: typeof AUTH_DIALOG_PROTOCOL;
      status: "success";
      accessToken: string;
      /** Epoch milliseconds. */
      expiresOn: number;
      scopes: string[];
      account: AuthDialogAccount;
    }
  | { protocol: typeof AUTH_DIALOG_PROTOCOL; status: "error"; code: ErrorCode; detail: string }
  | { protocol: typeof AUTH_DIALOG_PROTOCOL; status: "signed_out" };

/** The error codes a dialog may report; anything else is read as sign_in_failed. */
const DIALOG_ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "consent_denied_by_tenant",
  "popup_blocked",
  "third_party_cookies",
  "sign_in_cancelled",
  "sign_in_failed",
  "network",
  "auth_required",
]);

export interface AuthDialogRequest {
  mode: "signin" | "signout";
  scopes: string[];
  loginHint?: string;
}

/**
 * The dialog's URL: mode and scopes in the query, the login hint (an email address) in the
 * fragment, which browsers never send to the server, so it stays out of hosting logs.
 */
export function authDialogUrl(authPageUrl: string, request: AuthDialogRequest): string {
  const url = new URL(authPageUrl);
  url.search = new URLSearchParams({
    mode: request.mode,
    scopes: request.scopes.join(" "),
  }).toString();
  url.hash = request.loginHint ? new URLSearchParams({ hint: request.loginHint }).toString() : "";
  return url.toString();
}

/** The dialog's side: what it was asked to do. Defaults to signing in with no scopes. */
export function readAuthDialogRequest(location: { search: string; hash: string }): {
  mode: AuthDialogRequest["mode"];
  scopes: string[];
  loginHint: string | undefined;
  /** The sign-out round trip has come back from Entra. */
  signedOut: boolean;
} {
  const query = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  return {
    mode: query.get("mode") === "signout" ? "signout" : "signin",
    scopes: (query.get("scopes") ?? "").split(/\s+/).filter(Boolean),
    loginHint: hash.get("hint") ?? undefined,
    signedOut: query.get("done") === "1",
  };
}

export function encodeDialogMessage(message: AuthDialogMessage): string {
  return JSON.stringify(message);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** Parses a dialog message; null for anything that is not a well-formed message of ours. */
export function parseDialogMessage(raw: string): AuthDialogMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.protocol !== AUTH_DIALOG_PROTOCOL) return null;
  if (m.status === "signed_out") return { protocol: AUTH_DIALOG_PROTOCOL, status: "signed_out" };
  if (m.status === "error") {
    const code = isString(m.code) && DIALOG_ERROR_CODES.has(m.code) ? m.code : "sign_in_failed";
    return {
      protocol: AUTH_DIALOG_PROTOCOL,
      status: "error",
      code: code as ErrorCode,
      detail: isString(m.detail) ? m.detail.slice(0, 80) : "unknown",
    };
  }
  if (m.status !== "success") return null;
  const account = m.account as Record<string, unknown> | null | undefined;
  if (
    !isString(m.accessToken) ||
    m.accessToken === "" ||
    typeof m.expiresOn !== "number" ||
    !Array.isArray(m.scopes) ||
    !m.scopes.every(isString) ||
    typeof account !== "object" ||
    account === null ||
    !isString(account.username) ||
    !isString(account.homeAccountId)
  ) {
    return null;
  }
  return {
    protocol: AUTH_DIALOG_PROTOCOL,
    status: "success",
    accessToken: m.accessToken,
    expiresOn: m.expiresOn,
    scopes: m.scopes,
    account: {
      name: isString(account.name) ? account.name : "",
      username: account.username,
      homeAccountId: account.homeAccountId,
    },
  };
}
