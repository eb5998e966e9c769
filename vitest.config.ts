import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LongFirstSequencer } from "./test/support/long-first-sequencer.js";

// One `vitest run` runs every suite: unit (jsdom and node), integration (against the Graph fake),
// and end-to-end (Playwright driving Debian Chromium against the Outlook stand-in). `npm test`
// runs the end-to-end project in a second process beside the other two (scripts/run-tests.ts).
export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // running every file one after another. The files spend much of their time waiting (on the
    // fake's sockets, on retry back-offs), so as many workers as cores, never fewer than two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.{ts,tsx}", "test/unit/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          setupFiles: ["test/support/unit-setup.ts"],
          // React views render through lazy chunks and Fluent's styles: on a loaded 2-core machine
          // the first render of a file can take seconds. Patience, not a timing assertion.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
