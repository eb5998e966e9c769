import { createRoot } from "react-dom/client";
import { displayLanguage, themeMode } from "../adapters/office/appearance.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import { App } from "./app.js";
import { config } from "./config.js";
import { startOrgPolicyFetch } from "./org-policy-early.js";

// The composition root: the only place that picks the Office runtime and wires adapters.
// Everything the first view waits for starts here, at once and in parallel with Office.onReady:
// Graph and the services (outside the initial script), and the admin's org-policy.json, which
// says where storage is and so must be known before the first Graph read (its request usually
// started earlier still, from org-policy-early.ts). The pane never waits for one of them to start
// another.
const composition = import(/* webpackChunkName: "composition" */ "./composition.js");
const orgPolicyUrl = `${config.addinBaseUrl}/org-policy.json`;
let orgPolicyResponse: Promise<Response> | null = startOrgPolicyFetch();

/** The early org-policy response the first time it is asked for, then plain fetch. */
function fetchOnce(url: string, init?: RequestInit): Promise<Response> {
  const early = url === orgPolicyUrl ? orgPolicyResponse : null;
  if (early) orgPolicyResponse = null;
  return early ?? fetch(url, init);
}

async function main(): Promise<void> {
  const container = document.getElementById("root");
  if (!container) return;
  const runtime = getOfficeRuntime();
  await runtime.onReady();
  // The save panel's script is not fetched here, even for a user who consented before: the
  // first view is the message card, and the panel follows it (shell.tsx).
  const language = displayLanguage(runtime);
  const services = composition.then((m) =>
    m.composePane(runtime, config, language, { fetch: fetchOnce }),
  );
  createRoot(container).render(
    <App
      runtime={runtime}
      services={services}
      language={language}
      theme={themeMode(runtime)}
      onFirstView={() => void services.then((s) => s.firstViewShown()).catch(() => undefined)}
    />,
  );
}

void main().catch((error: unknown) => {
  const container = document.getElementById("root");
  if (container) {
    container.textContent = "SEPT for Outlook must be opened from Outlook.";
  }
  console.error(error);
});
