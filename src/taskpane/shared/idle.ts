/** Runs `callback` when the browser has a quiet moment (at most 2 s from now), or in 0.5 s. */
export function whenIdle(callback: () => void): void {
  if ("requestIdleCallback" in window) window.requestIdleCallback(callback, { timeout: 2000 });
  else setTimeout(callback, 500);
}

/** Resolves once the pane has shown its first view and the browser has had a quiet moment. */
export function afterFirstView(): { shown: () => void; settled: Promise<void> } {
  let resolve: () => void = () => undefined;
  const settled = new Promise<void>((done) => (resolve = done));
  return { shown: () => whenIdle(resolve), settled };
}
