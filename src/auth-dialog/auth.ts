// auth.html's entry: waits for Office.js, then runs the sign-in dialog (auth-dialog.ts).
import { displayLanguage } from "../adapters/office/appearance.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import type { AddinConfig } from "../core/config.js";
import { translate } from "../core/i18n/index.js";
import { runAuthDialog } from "./auth-dialog.js";

declare const __SEPT_CONFIG__: AddinConfig;

async function main(): Promise<void> {
  const status = document.getElementById("status");
  const runtime = getOfficeRuntime();
  await runtime.onReady();
  const language = displayLanguage(runtime);
  document.documentElement.lang = language;
  document.title = translate(language, "signin.dialog.title");
  await runAuthDialog({
    runtime,
    clientId: __SEPT_CONFIG__.clientId,
    tenant: __SEPT_CONFIG__.tenant,
    location: window.location,
    show: (key) => {
      if (status) status.textContent = translate(language, key);
    },
  });
}

void main().catch(() => {
  // Outside Office there is nobody to answer; the pane's dialog times out or is closed.
  const status = document.getElementById("status");
  if (status) status.textContent = translate("en", "errors.unsupported_host");
});
