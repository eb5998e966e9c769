// One Graph fake per test file, set up the same way everywhere: started before the file's first
// test, trusted by every fetch in the worker (the add-in's own Graph client included), wiped before
// each test and stopped after the last. Hooks run in the order they are registered ("after" hooks
// in reverse), so a file's own `beforeAll` written below the call may read `t.fake.mailbox()`, and
// its `afterAll` runs before the fake stops.
// Separate from graph-fake.ts because that one is imported outside vitest too (bench/).
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  startTestFake,
  trustCertificateGlobally,
  type StartTestFakeOptions,
  type TestFake,
} from "./graph-fake.js";

export interface UseTestFakeOptions extends StartTestFakeOptions {
  /** Wipe drives, upload sessions, the request log and faults before each test (default true). */
  resetEachTest?: boolean;
}

/**
 * Registers the hooks and returns a handle that stands for the running fake: use it inside hooks
 * and tests (reading it at the top level of a file, before the fake starts, throws).
 *
 * `options` may be a function, called when the fake starts: for options that a `beforeAll`
 * registered above this call prepares (a seed folder written for the file). `startTimeout` is the
 * time limit of the starting hook, for a large seed mailbox.
 */
export function useTestFake(
  options: UseTestFakeOptions | (() => UseTestFakeOptions) = {},
  startTimeout?: number,
): TestFake {
  let current: TestFake | undefined;
  let resetEachTest = true;
  const running = (): TestFake => {
    if (!current) throw new Error("useTestFake: the fake runs from beforeAll to afterAll only");
    return current;
  };

  beforeAll(async () => {
    const { resetEachTest: reset = true, ...start } =
      typeof options === "function" ? options() : options;
    resetEachTest = reset;
    current = await startTestFake(start);
    trustCertificateGlobally(current.ca);
  }, startTimeout);
  beforeEach(async () => {
    if (resetEachTest) await running().fake.reset();
  });
  afterAll(async () => {
    const stopping = current;
    current = undefined;
    await stopping?.stop();
  });

  return {
    get fake() {
      return running().fake;
    },
    get ca() {
      return running().ca;
    },
    get token() {
      return running().token;
    },
    get dataDir() {
      return running().dataDir;
    },
    fetch: (pathOrUrl, init) => running().fetch(pathOrUrl, init),
    seedUser: (seed, scopes) => running().seedUser(seed, scopes),
    appToken: (roles) => running().appToken(roles),
    stop: () => running().stop(),
  };
}
