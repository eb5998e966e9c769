import { describe, expect, it } from "vitest";
import {
  AUTH_DIALOG_PROTOCOL,
  authDialogUrl,
  encodeDialogMessage,
  parseDialogMessage,
  readAuthDialogRequest,
  type AuthDialogMessage,
} from "../../../src/adapters/auth/auth-dialog-protocol.js";

describe("the pane ↔ sign-in dialog protocol", () => {
  it("round-trips a request through the dialog URL", () => {
    const url = new URL(
      authDialogUrl("https://addin.contoso.example/sept/auth.html", {
        mode: "signin",
        scopes: ["User.Read", "Files.ReadWrite.AppFolder"],
        loginHint: "alex.martin+sept@contoso.example",
      }),
    );
    expect(url.pathname).toBe("/sept/auth.html");
    expect(readAuthDialogRequest(url)).toEqual({
      mode: "signin",
      scopes: ["User.Read", "Files.ReadWrite.AppFolder"],
      loginHint: "alex.martin+sept@contoso.example",
      signedOut: false,
    });
    // The email address never reaches the server: it is in the fragment only.
    expect(url.search).not.toContain("alex");
  });

  it("round-trips every message kind", () => {
    const success: AuthDialogMessage = {
      protocol: AUTH_DIALOG_PROTOCOL,
      status: "success",
      accessToken: "t",
      expiresOn: 1,
      scopes: ["Mail.Read"],
      account: { name: "A", username: "a@b.example", homeAccountId: "h" },
    };
    expect(parseDialogMessage(encodeDialogMessage(success))).toEqual(success);
    const signedOut: AuthDialogMessage = { protocol: AUTH_DIALOG_PROTOCOL, status: "signed_out" };
    expect(parseDialogMessage(encodeDialogMessage(signedOut))).toEqual(signedOut);
  });

  it("refuses anything that is not a well-formed message of ours", () => {
    expect(parseDialogMessage("{")).toBeNull();
    expect(parseDialogMessage("null")).toBeNull();
    expect(parseDialogMessage(JSON.stringify({ status: "success", accessToken: "t" }))).toBeNull();
    expect(
      parseDialogMessage(
        JSON.stringify({ protocol: AUTH_DIALOG_PROTOCOL, status: "success", accessToken: "" }),
      ),
    ).toBeNull();
  });

  it("reads an unknown error code from a dialog as sign_in_failed", () => {
    const parsed = parseDialogMessage(
      JSON.stringify({
        protocol: AUTH_DIALOG_PROTOCOL,
        status: "error",
        code: "quota_full",
        detail: "x".repeat(500),
      }),
    );
    expect(parsed).toMatchObject({ status: "error", code: "sign_in_failed" });
    expect(parsed?.status === "error" && parsed.detail.length).toBe(80);
  });
});
