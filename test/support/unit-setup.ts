import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom has no layout: Fluent UI's overflow and MessageBar reflow logic only needs the constructor.
if (typeof globalThis.ResizeObserver === "undefined") {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

afterEach(() => {
  cleanup();
});
