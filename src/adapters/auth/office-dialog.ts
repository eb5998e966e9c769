// The Office dialog fallback: auth.html runs MSAL's standard redirect flow in a window Office
// opens, and posts back one answer (auth-dialog-protocol.ts).
import { SeptError } from "../../core/errors.js";
import type { DialogEventArgs, DialogMessageArgs, OfficeRuntime } from "../office/runtime.js";
import {
  authDialogUrl,
  parseDialogMessage,
  type AuthDialogMessage,
} from "./auth-dialog-protocol.js";
import { officeDialogError } from "./sign-in-errors.js";

export type AuthDialogRequest = Parameters<typeof authDialogUrl>[1];

export interface AuthDialogSettings {
  /** The add-in's auth.html. */
  authPageUrl: string;
  /** Dialog size in percent of the screen. */
  size: { height: number; width: number };
  /** How long the user may take. */
  timeoutMs: number;
}

export function dialogAvailable(runtime: OfficeRuntime | null): boolean {
  return typeof runtime?.context.ui?.displayDialogAsync === "function";
}

/** Opens auth.html in an Office dialog and waits for its one answer (or its closing). */
export function openAuthDialog(
  runtime: OfficeRuntime | null,
  settings: AuthDialogSettings,
  request: AuthDialogRequest,
): Promise<AuthDialogMessage> {
  const display = runtime?.context.ui?.displayDialogAsync;
  if (!runtime || !display) {
    return Promise.reject(
      new SeptError("unsupported_host", { message: "the Office dialog API is unavailable" }),
    );
  }
  const url = authDialogUrl(settings.authPageUrl, request);
  const origin = new URL(settings.authPageUrl).origin;
  const messageEvent = runtime.EventType.DialogMessageReceived ?? "dialogMessageReceived";
  const closeEvent = runtime.EventType.DialogEventReceived ?? "dialogEventReceived";
  return new Promise<AuthDialogMessage>((resolve, reject) => {
    display.call(
      runtime.context.ui,
      url,
      { ...settings.size, displayInIframe: false },
      (result) => {
        if (result.status !== runtime.AsyncResultStatus.Succeeded) {
          reject(officeDialogError(result.error?.code ?? "unknown"));
          return;
        }
        const dialog = result.value;
        let settled = false;
        const finish = (settle: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          try {
            dialog.close();
          } catch {
            // already closed by the user
          }
          settle();
        };
        const timer = setTimeout(
          () => finish(() => reject(new SeptError("timeout", { message: "sign-in dialog" }))),
          settings.timeoutMs,
        );
        dialog.addEventHandler(messageEvent, (args: DialogMessageArgs | DialogEventArgs) => {
          if (!("message" in args)) return;
          // DialogApi 1.2 names the sender: only our own auth.html may answer.
          if (args.origin !== undefined && args.origin !== origin) return;
          const message = parseDialogMessage(args.message);
          if (message) finish(() => resolve(message));
        });
        dialog.addEventHandler(closeEvent, (args: DialogMessageArgs | DialogEventArgs) => {
          if ("error" in args) finish(() => reject(officeDialogError(args.error)));
        });
      },
    );
  });
}
