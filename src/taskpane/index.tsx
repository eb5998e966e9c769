import { createRoot } from "react-dom/client";
import { displayLanguage, themeMode } from "../adapters/office/appearance.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import { App } from "./app.js";

// The composition root: the only place that picks the Office runtime and wires adapters.
async function main(): Promise<void> {
  const container = document.getElementById("root");
  if (!container) return;
  const runtime = getOfficeRuntime();
  await runtime.onReady();
  createRoot(container).render(
    <App runtime={runtime} language={displayLanguage(runtime)} theme={themeMode(runtime)} />,
  );
}

void main().catch((error: unknown) => {
  const container = document.getElementById("root");
  if (container) {
    container.textContent = "SEPT for Outlook must be opened from Outlook.";
  }
  console.error(error);
});
