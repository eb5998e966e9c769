import { startTransition } from "react";
import { createRoot } from "react-dom/client";
import { App, type AppProps } from "./app.js";

// React, Fluent UI and the pane's frame and shell: a script of their own (index.tsx), evaluated
// once the consent ledger's read is under way. Their evaluation is the longest task of the
// start-up; run first, it held that request back by as long.

/**
 * Renders the pane into `container`. As a transition, so React renders in slices and yields to
 * the browser between them: the answers to the ledger's requests, which arrive during this first
 * render, are taken in at once and the next request sent, instead of after the whole render.
 */
export function renderPane(container: HTMLElement, props: AppProps): void {
  const root = createRoot(container);
  startTransition(() => root.render(<App {...props} />));
}
