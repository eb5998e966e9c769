// One Chromium per e2e file, set up the same way everywhere: launched before the file's first
// test, the shared Graph fake wiped before each test, the browser closed after the last.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { launchChromium } from "./chromium.js";
import { resetFake } from "./standin.js";

/**
 * Registers the hooks and returns a handle that stands for the running browser (every property
 * read goes to it), to pass to `openStandin(browser)` inside hooks and tests.
 */
export function useChromium(): Browser {
  let current: Browser | undefined;
  const running = (): Browser => {
    if (!current) throw new Error("useChromium: the browser runs from beforeAll to afterAll only");
    return current;
  };
  beforeAll(async () => {
    current = await launchChromium();
  });
  beforeEach(async () => {
    await resetFake();
  });
  afterAll(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  return new Proxy({} as Browser, {
    get(_target, key) {
      const browser = running();
      const value: unknown = Reflect.get(browser, key, browser);
      return typeof value === "function" ? value.bind(browser) : value;
    },
  });
}
