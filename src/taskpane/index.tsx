import { createRoot } from "react-dom/client";
import { displayLanguage, themeMode } from "../adapters/office/appearance.js";
import { createRoamingConsentHint } from "../adapters/office/roaming-consent-hint.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import { App } from "./app.js";
import { config } from "./config.js";

// The composition root: the only place that picks the Office runtime and wires adapters.
// Everything the first view waits for starts here, at once and in parallel with Office.onReady:
// Graph and the services (outside the initial script), and the admin's org-policy.json, which
// says where storage is and so must be known before the first Graph read. The pane never waits
// for one of them to start another.
const composition = import(/* webpackChunkName: "composition" */ "./composition.js");
const orgPolicyUrl = `${config.addinBaseUrl}/org-policy.json`;
let orgPolicyResponse: Promise<Response> | null = fetch(orgPolicyUrl, {
  cache: "no-store",
  credentials: "same-origin",
});
// Handed once to the org-policy service, whose "unreachable" case a rejection is; never an error.
orgPolicyResponse.catch(() => undefined);

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
  // Consent last seen as given: the message view and its save panel will be the first view, so
  // their script loads now rather than after the ledger read. Only a loading hint, never trusted.
  if (createRoamingConsentHint(runtime).read()?.status === "granted") {
    void import("./features/save/save-panel.js").catch(() => undefined);
  }
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
