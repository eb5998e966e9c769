import type { TestProject } from "vitest/node";
import { startDemoStack, type DemoStack } from "../../dev/demo-stack.js";
import { prepareChromium } from "./chromium.js";

declare module "vitest" {
  export interface ProvidedContext {
    addinUrl: string;
    fakeUrl: string;
    ca: string;
  }
}

let stack: DemoStack | null = null;

// Builds the demo once for production and serves it beside a Graph fake for every e2e file.
export async function setup(project: TestProject): Promise<void> {
  // Before anything is built: no browser means a one-line instruction at once.
  await prepareChromium();
  stack = await startDemoStack();
  project.provide("addinUrl", stack.addinUrl);
  project.provide("fakeUrl", stack.fake.url);
  project.provide("ca", stack.tls.ca);
}

export async function teardown(): Promise<void> {
  await stack?.close();
}
