// Debian's Chromium driven by playwright-core: Playwright's own browser download cannot work here.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. End-to-end tests need it: ` +
        `run "sudo apt-get update && sudo apt-get install -y chromium" (Debian/Ubuntu), ` +
        `or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
