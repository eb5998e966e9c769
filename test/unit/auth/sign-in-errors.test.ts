import { InteractionRequiredAuthError, ServerError } from "@azure/msal-browser";
import { describe, expect, it } from "vitest";
import {
  needsInteraction,
  officeDialogError,
  signInError,
  silentOnlyError,
} from "../../../src/adapters/auth/sign-in-errors.js";
import { SeptError } from "../../../src/core/errors.js";
import { translate } from "../../../src/core/i18n/index.js";

const msal = (errorCode: string, errorMessage = "") => ({
  name: "BrowserAuthError",
  errorCode,
  errorMessage,
});

describe("sign-in errors", () => {
  it.each([
    [msal("user_cancelled"), "sign_in_cancelled"],
    [msal("popup_window_error"), "popup_blocked"],
    [msal("empty_window_error"), "popup_blocked"],
    [msal("no_network_connectivity"), "network"],
    [msal("post_request_failed"), "network"],
    [msal("storage_not_supported"), "third_party_cookies"],
    [
      new ServerError("access_denied", "", "AADSTS90094: The grant requires admin permission."),
      "consent_denied_by_tenant",
    ],
    [
      new ServerError("access_denied", "", "AADSTS65004: User declined to consent."),
      "sign_in_cancelled",
    ],
    [
      new ServerError("invalid_request", "", "AADSTS50105: not assigned to a role"),
      "consent_denied_by_tenant",
    ],
    [
      new InteractionRequiredAuthError(
        "login_required",
        "",
        "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
      ),
      "third_party_cookies",
    ],
    [
      new ServerError("invalid_client", "", "AADSTS700016: Application not found"),
      "sign_in_failed",
    ],
    ["a string", "sign_in_failed"],
  ] as const)("maps %o to %s", (error, code) => {
    const mapped = signInError(error);
    expect(mapped.code).toBe(code);
    // Every code has a sentence in both languages.
    expect(translate("en", mapped.messageKey, mapped.params)).not.toContain("errors.");
    expect(translate("fr", mapped.messageKey, mapped.params)).not.toContain("errors.");
  });

  it("gives admins a support code, never the raw message", () => {
    const mapped = signInError(
      new ServerError(
        "invalid_client",
        "",
        "AADSTS700016: Application with identifier 'x' was not found in alex@contoso.example",
      ),
    );
    expect(mapped.params.detail).toBe("AADSTS700016");
    expect(mapped.message).not.toContain("alex@");
    expect(translate("en", mapped.messageKey, mapped.params)).toContain("AADSTS700016");
  });

  it("keeps a SeptError as it is", () => {
    const original = new SeptError("timeout");
    expect(signInError(original)).toBe(original);
  });

  it("tells which silent failures an interactive attempt can fix", () => {
    expect(needsInteraction(new InteractionRequiredAuthError("consent_required", ""))).toBe(true);
    expect(needsInteraction(msal("no_account_error"))).toBe(true);
    expect(needsInteraction(msal("timed_out"))).toBe(true);
    expect(needsInteraction(msal("no_network_connectivity"))).toBe(false);
    // A tenant's refusal does not change by asking the user again.
    expect(
      needsInteraction(new InteractionRequiredAuthError("interaction_required", "", "AADSTS90094")),
    ).toBe(false);
  });

  it("reads a silent frame timeout as blocked third-party cookies when no prompt is allowed", () => {
    expect(silentOnlyError(msal("timed_out")).code).toBe("third_party_cookies");
    expect(silentOnlyError(new InteractionRequiredAuthError("login_required", "")).code).toBe(
      "auth_required",
    );
    expect(silentOnlyError(msal("no_network_connectivity")).code).toBe("network");
  });

  it.each([
    [12006, "sign_in_cancelled"],
    [12009, "popup_blocked"],
    [12011, "popup_blocked"],
    [12004, "sign_in_failed"],
    [12007, "sign_in_failed"],
  ] as const)("maps Office dialog error %i to %s", (officeCode, code) => {
    const error = officeDialogError(officeCode);
    expect(error.code).toBe(code);
    expect(error.params.detail).toBe(`office-${officeCode}`);
  });
});
