import type { MessageKey } from "./i18n/index.js";

/** Every failure the pane can explain: a stable code, a dictionary key, and the cause kept. */
export type ErrorCode =
  | "consent_required"
  | "no_item"
  | "compose_mode"
  | "unsupported_host"
  | "office_call_failed"
  | "auth_required"
  | "access_denied"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "throttled"
  | "service_unavailable"
  | "timeout"
  | "quota_full"
  | "too_large"
  | "protected_message"
  | "bad_request"
  | "network"
  | "consent_denied_by_tenant"
  | "popup_blocked"
  | "third_party_cookies"
  | "sign_in_cancelled"
  | "sign_in_failed"
  | "cancelled"
  | "retention_out_of_bounds"
  | "retention_forever_not_allowed"
  /** The organisation's policy allows metadata only, and content was asked for. */
  | "content_not_allowed"
  | "unknown";

export class SeptError extends Error {
  readonly code: ErrorCode;
  readonly messageKey: MessageKey;
  /** Values interpolated into the translated message, e.g. `{ seconds: 10 }`. */
  readonly params: Readonly<Record<string, string | number>>;
  /** Worth trying again as is (throttling, a dropped connection), as opposed to a refusal. */
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      cause?: unknown;
      params?: Record<string, string | number>;
      retryable?: boolean;
    } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.name = "SeptError";
    this.code = code;
    this.messageKey = `errors.${code}`;
    this.params = options.params ?? {};
    this.retryable = options.retryable ?? false;
  }
}

export function isSeptError(value: unknown): value is SeptError {
  return value instanceof SeptError;
}

/** Wraps anything thrown into a SeptError so the pane always has something it can translate. */
export function toSeptError(value: unknown): SeptError {
  if (value instanceof SeptError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new SeptError("unknown", { message, cause: value });
}
