// The browser for the end-to-end tests and the bench: found or provisioned once by
// scripts/find-browser.ts (CHROMIUM_PATH, a system Chrome/Chromium/Edge, Playwright's cache,
// Playwright's installer, apt-get), then driven by playwright-core.
import type { Browser } from "playwright-core";
import { describeBrowser, launchBrowserAt, resolveBrowser } from "../../scripts/find-browser.js";

/**
 * Finds (or provisions) the browser, prints the one line saying which, and records it in
 * CHROMIUM_PATH so that test workers started afterwards launch it without searching again.
 */
export async function prepareChromium(): Promise<string> {
  const found = await resolveBrowser();
  console.log(describeBrowser(found));
  process.env.CHROMIUM_PATH = found.path;
  return found.path;
}

export async function launchChromium(): Promise<Browser> {
  const path = process.env.CHROMIUM_PATH ?? (await prepareChromium());
  return launchBrowserAt(path);
}
