// What went wrong during sign-in, as a SeptError the pane can explain. MSAL errors are read by
// their public `errorCode` and the Entra `AADSTS` code in their message, never by class identity
// alone: the dialog page and the pane run separate copies of MSAL. Messages never carry tokens.
import { SeptError, type ErrorCode } from "../../core/errors.js";

interface AuthErrorLike {
  name?: unknown;
  errorCode?: unknown;
  subError?: unknown;
  errorMessage?: unknown;
  message?: unknown;
}

/** Entra error codes that mean the tenant, not the user, has to act. */
const TENANT_REFUSALS = new Set([
  "AADSTS65001", // consent required, and the user may not give it
  "AADSTS90094", // admin consent required
  "AADSTS90095", // admin consent workflow: request sent for approval
  "AADSTS90099", // application not authorised in this tenant
  "AADSTS50105", // user not assigned to the application
  "AADSTS7000112", // application disabled
]);
/** The user said no: closed the window or declined the permissions. */
const USER_REFUSALS = new Set(["AADSTS65004"]);
/** The silent frame could not see the Entra session: third-party cookies are blocked. */
const COOKIELESS = new Set(["AADSTS50058"]);

const CANCELLED = new Set(["user_cancelled", "user_canceled"]);
const POPUP_BLOCKED = new Set(["popup_window_error", "empty_window_error", "block_nested_popups"]);
const NETWORK = new Set([
  "no_network_connectivity",
  "network_error",
  "post_request_failed",
  "get_request_failed",
  "endpoints_resolution_error",
]);
const STORAGE = new Set(["storage_not_supported"]);
/** Silent acquisition cannot succeed without the user; an interactive attempt may. */
const INTERACTION_CODES = new Set([
  "no_tokens_found",
  "refresh_token_expired",
  "interaction_required",
  "consent_required",
  "login_required",
  "bad_token",
  "interrupted_user",
  "native_account_unavailable",
  "no_account_error",
  "no_account_found",
  // Silent frames that never answered: typical of blocked third-party cookies.
  "timed_out",
  "monitor_window_timeout",
]);

function fields(error: unknown): { code: string; aadsts: string | null; name: string } {
  if (typeof error !== "object" || error === null) {
    return { code: "", aadsts: null, name: "" };
  }
  const e = error as AuthErrorLike;
  const code = typeof e.errorCode === "string" ? e.errorCode : "";
  const text = [e.errorMessage, e.message, e.subError]
    .filter((v): v is string => typeof v === "string")
    .join(" ");
  const aadsts = /AADSTS\d+/.exec(text)?.[0] ?? null;
  return { code, aadsts, name: typeof e.name === "string" ? e.name : "" };
}

/** True when trying again with the user (a popup, the host's prompt, the dialog) may succeed. */
export function needsInteraction(error: unknown): boolean {
  const { code, name, aadsts } = fields(error);
  if (aadsts && (TENANT_REFUSALS.has(aadsts) || USER_REFUSALS.has(aadsts))) {
    // A refusal already recorded by Entra: asking again shows the same refusal.
    return aadsts === "AADSTS65001";
  }
  return name === "InteractionRequiredAuthError" || INTERACTION_CODES.has(code);
}

function codeFor(error: unknown): ErrorCode {
  const { code, aadsts } = fields(error);
  if (aadsts && TENANT_REFUSALS.has(aadsts)) return "consent_denied_by_tenant";
  if (aadsts && USER_REFUSALS.has(aadsts)) return "sign_in_cancelled";
  if (aadsts && COOKIELESS.has(aadsts)) return "third_party_cookies";
  if (CANCELLED.has(code)) return "sign_in_cancelled";
  if (POPUP_BLOCKED.has(code)) return "popup_blocked";
  if (NETWORK.has(code)) return "network";
  if (STORAGE.has(code)) return "third_party_cookies";
  if (code === "access_denied") return "consent_denied_by_tenant";
  return "sign_in_failed";
}

/**
 * Maps anything thrown while signing in to a SeptError. `detail` is a support code an admin can
 * look up (an AADSTS number or MSAL's error code), never a message that could hold user data.
 */
export function signInError(error: unknown): SeptError {
  if (error instanceof SeptError) return error;
  const { code: msalCode, aadsts } = fields(error);
  const code = codeFor(error);
  const detail = aadsts ?? (msalCode || "unknown");
  return new SeptError(code, {
    message: `sign-in failed: ${detail}`,
    cause: error,
    params: { detail },
    retryable: code === "network",
  });
}

/** A silent failure the caller may not turn into a prompt (no user gesture to open one). */
export function silentOnlyError(error: unknown): SeptError {
  const mapped = signInError(error);
  if (mapped.code !== "sign_in_failed") return mapped;
  const { code } = fields(error);
  // A silent frame that timed out is the classic sign of blocked third-party cookies.
  const cookieless = code === "timed_out" || code === "monitor_window_timeout";
  return new SeptError(cookieless ? "third_party_cookies" : "auth_required", {
    message: mapped.message,
    cause: error,
  });
}

/** Office dialog API error numbers (displayDialogAsync and DialogEventReceived). */
export const OFFICE_DIALOG_ERRORS = {
  pageNotLoaded: 12002,
  httpUrl: 12003,
  untrustedDomain: 12004,
  httpsRequired: 12005,
  closedByUser: 12006,
  alreadyOpen: 12007,
  ignoredByUser: 12009,
  popupBlocked: 12011,
} as const;

export function officeDialogError(officeCode: number | string): SeptError {
  const n = Number(officeCode);
  const code: ErrorCode =
    n === OFFICE_DIALOG_ERRORS.closedByUser
      ? "sign_in_cancelled"
      : n === OFFICE_DIALOG_ERRORS.ignoredByUser || n === OFFICE_DIALOG_ERRORS.popupBlocked
        ? "popup_blocked"
        : "sign_in_failed";
  const detail = `office-${String(officeCode)}`;
  return new SeptError(code, { message: `sign-in dialog: ${detail}`, params: { detail } });
}
