import { displayLanguage, themeMode } from "../adapters/office/appearance.js";
import { getOfficeRuntime } from "../adapters/office/runtime.js";
import { translate } from "../core/i18n/index.js";
import { config } from "./config.js";
import { startOrgPolicyFetch } from "./org-policy-early.js";

// The composition root: the only place that picks the Office runtime and wires adapters.
// Everything the first view waits for starts here, at once and in parallel with Office.onReady:
// Graph and the services (outside the initial script), and the admin's org-policy.json, which
// says where storage is and so must be known before the first Graph read (its request usually
// started earlier still, from org-policy-early.ts). The pane never waits for one of them to start
// another. React and the views come in a script of their own, evaluated once the services have
// started the consent ledger's read (view.tsx), so that the two overlap.
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
  // composePane resolves once the ledger's read has started: the view's script, fetched already
  // (a preload link), is evaluated only then, and renders the services at once. (Composed or
  // not, the view comes: without services it shows its loading line, as it always has.)
  const composed = await services.then(
    (ready) => ready,
    () => services,
  );
  const view = await import(/* webpackChunkName: "view" */ "./view.js").catch((error: unknown) => {
    // Not "open it from Outlook": Outlook is there, a script did not arrive.
    container.textContent = translate(language, "app.loadFailed");
    console.error(error);
    return null;
  });
  view?.renderPane(container, {
    runtime,
    services: composed,
    language,
    theme: themeMode(runtime),
    onFirstView: () => void services.then((s) => s.firstViewShown()).catch(() => undefined),
  });
}

void main().catch((error: unknown) => {
  const container = document.getElementById("root");
  if (container) {
    container.textContent = "SEPT for Outlook must be opened from Outlook.";
  }
  console.error(error);
});
