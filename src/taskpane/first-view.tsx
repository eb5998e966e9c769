// The pane's React root: React, Fluent UI's provider and the frame (app.tsx), in a chunk of its own
// so that index.tsx, the page's script, is small and starts the org policy, the services and this
// chunk at once, before any of them is parsed (taskpane.html preloads them: webpack.config.ts).
import { createRoot } from "react-dom/client";
import { App, type AppProps } from "./app.js";

export function renderPane(container: HTMLElement, props: AppProps): void {
  createRoot(container).render(<App {...props} />);
}
