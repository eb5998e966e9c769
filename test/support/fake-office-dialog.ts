// The Office dialog API (context.ui.displayDialogAsync) for tests: each call is answered by a
// script, the way Outlook would after the user acted in the dialog.
import type {
  DialogEventArgs,
  DialogMessageArgs,
  OfficeDialogRuntime,
  OfficeRuntime,
} from "../../src/adapters/office/runtime.js";

export type DialogScript =
  /** displayDialogAsync itself fails with this Office error number (12009: the user ignored it). */
  | { fail: number }
  /** The dialog page sends this message (a string, as messageParent does). */
  | { message: string | ((url: URL) => string); origin?: string }
  /** Something happens in the dialog: 12006 the user closed it. */
  | { event: number }
  /** Several messages in order (e.g. junk first, then the real answer). */
  | { messages: Array<{ message: string; origin?: string }> }
  /** Nothing ever happens. */
  | { hang: true };

export interface FakeDialogApi {
  /** URLs the pane opened, in order. */
  opened: URL[];
  closed: number;
  /** How many dialogs are open right now (Office allows one). */
  open: number;
}

export function installFakeDialogApi(
  runtime: OfficeRuntime,
  script: (url: URL, index: number) => DialogScript,
): FakeDialogApi {
  const api: FakeDialogApi = { opened: [], closed: 0, open: 0 };
  const messageEvent = "dialogMessageReceived";
  const closeEvent = "dialogEventReceived";
  runtime.EventType.DialogMessageReceived = messageEvent;
  runtime.EventType.DialogEventReceived = closeEvent;
  runtime.context.ui = {
    displayDialogAsync(url, _options, callback) {
      const parsed = new URL(url);
      const index = api.opened.push(parsed) - 1;
      const step = script(parsed, index);
      setTimeout(() => {
        if ("fail" in step) {
          callback({
            status: runtime.AsyncResultStatus.Failed,
            value: undefined as unknown as OfficeDialogRuntime,
            error: { code: step.fail, message: `dialog error ${step.fail}` },
          });
          return;
        }
        if (api.open > 0) {
          callback({
            status: runtime.AsyncResultStatus.Failed,
            value: undefined as unknown as OfficeDialogRuntime,
            error: { code: 12007, message: "a dialog is already open" },
          });
          return;
        }
        api.open += 1;
        const handlers = new Map<
          unknown,
          Array<(a: DialogMessageArgs | DialogEventArgs) => void>
        >();
        let isOpen = true;
        const dialog: OfficeDialogRuntime = {
          addEventHandler(type, handler) {
            handlers.set(type, [...(handlers.get(type) ?? []), handler]);
          },
          close() {
            if (!isOpen) return;
            isOpen = false;
            api.open -= 1;
            api.closed += 1;
          },
        };
        callback({ status: runtime.AsyncResultStatus.Succeeded, value: dialog });
        const fire = (type: string, args: DialogMessageArgs | DialogEventArgs) => {
          if (isOpen) for (const h of handlers.get(type) ?? []) h(args);
        };
        setTimeout(() => {
          if ("message" in step) {
            const message =
              typeof step.message === "function" ? step.message(parsed) : step.message;
            fire(messageEvent, { message, origin: step.origin ?? parsed.origin });
          } else if ("messages" in step) {
            for (const m of step.messages)
              fire(messageEvent, { message: m.message, origin: m.origin ?? parsed.origin });
          } else if ("event" in step) {
            if (step.event === 12006 && isOpen) {
              isOpen = false;
              api.open -= 1;
              api.closed += 1;
              for (const h of handlers.get(closeEvent) ?? []) h({ error: 12006 });
              return;
            }
            fire(closeEvent, { error: step.event });
          }
        }, 5);
      }, 0);
    },
  };
  return api;
}
