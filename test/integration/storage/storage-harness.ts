// Shared setup for the storage adapter tests: a Graph fake over HTTPS, the real Graph client
// (createGraphClient + the development token provider) and short retry delays.
import { beforeAll } from "vitest";
import {
  createAppFolderStorage,
  type AppFolderStorageOptions,
} from "../../../src/adapters/graph/app-folder-storage.js";
import { createGraphClient } from "../../../src/adapters/graph/graph-client.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import type { LoggedRequest } from "../../../dev/graph-fake/types.js";
import type { StartTestFakeOptions, TestFake } from "../../support/graph-fake.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { sampleUserClient } from "../../support/sample-user.js";

export const UPLOAD_PATH = /^\/_upload\//;
export const DOWNLOAD_PATH = /^\/_download\//;

export interface StorageHarness {
  fake(): TestFake;
  /** A storage adapter on the shared client; retries of pre-authenticated URLs wait 50 ms. */
  storage(options?: AppFolderStorageOptions): StoragePort;
  /** What the fake received (its own log, not the client's view of it). */
  requests(): LoggedRequest[];
}

/** Registers before/after hooks: one fake per test file, wiped before every test. */
export function useStorageHarness(fakeOptions: StartTestFakeOptions = {}): StorageHarness {
  const t = useTestFake(fakeOptions);
  let client: ReturnType<typeof createGraphClient> | undefined;

  beforeAll(() => {
    client = sampleUserClient(t.fake.graphBaseUrl, [
      GRAPH_SCOPES.profile,
      GRAPH_SCOPES.mail,
      GRAPH_SCOPES.storage,
    ]);
  });
  return {
    fake: () => t,
    storage(options = {}) {
      if (!client) throw new Error("The client is not ready");
      return createAppFolderStorage(client, { transferRetry: { delaySeconds: 0.05 }, ...options });
    },
    requests: () => t.fake.requests(),
  };
}

/** Deterministic pseudo-random bytes, so a misplaced fragment cannot go unnoticed. */
export function testBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));
}

/** Resolves to the SeptError code a promise rejected with (fails the test if it resolved). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `not a SeptError: ${String(error)}`;
  }
  throw new Error("Expected a rejection");
}
