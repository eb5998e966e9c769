import { SeptError } from "../../core/errors.js";
import type { AsyncCallback, OfficeRuntime } from "./runtime.js";

/** The one promise wrapper for Office's callback APIs: a failed AsyncResult becomes a SeptError. */
export function officeAsync<T>(
  runtime: Pick<OfficeRuntime, "AsyncResultStatus">,
  invoke: (callback: AsyncCallback<T>) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        if (result.status === runtime.AsyncResultStatus.Succeeded) {
          resolve(result.value);
        } else {
          reject(
            new SeptError("office_call_failed", {
              message: result.error?.message ?? "Office call failed",
              cause: result.error,
              params: { code: String(result.error?.code ?? "") },
            }),
          );
        }
      });
    } catch (cause) {
      reject(new SeptError("office_call_failed", { message: String(cause), cause }));
    }
  });
}
