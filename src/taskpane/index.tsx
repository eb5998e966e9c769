import { createRoot } from "react-dom/client";
import { displayLanguage, themeMode } from "../adapters/office/appearance.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import { App } from "./app.js";
import { config } from "./config.js";

// The composition root: the only place that picks the Office runtime and wires adapters.
// Graph and the services load in parallel with Office.onReady, outside the initial script.
const composition = import("./composition.js");

async function main(): Promise<void> {
  const container = document.getElementById("root");
  if (!container) return;
  const runtime = getOfficeRuntime();
  await runtime.onReady();
  const language = displayLanguage(runtime);
  const services = composition.then((m) => m.composeServices(runtime, config, language));
  createRoot(container).render(
    <App runtime={runtime} services={services} language={language} theme={themeMode(runtime)} />,
  );
}

void main().catch((error: unknown) => {
  const container = document.getElementById("root");
  if (container) {
    container.textContent = "SEPT for Outlook must be opened from Outlook.";
  }
  console.error(error);
});
