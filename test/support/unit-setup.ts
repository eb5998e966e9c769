import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom has no layout: Fluent UI's overflow and MessageBar reflow logic only needs the constructor.
if (typeof globalThis.ResizeObserver === "undefined") {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

// findBy*/waitFor wait up to 10 s (default 1 s): a first render on a loaded machine can take longer
// than a second, and a wait only lasts as long as the thing it waits for.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
});
