// Test helpers around the Graph fake: a fresh fake per test file on a random port, with its own
// data directory, a cached localhost certificate and a fetch that trusts it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch, setGlobalDispatcher } from "undici";
import { generateLocalhostCert, type TlsMaterial } from "../../dev/certs.js";
import { DEFAULT_SCOPES, makeAppToken, makeDevToken } from "../../dev/graph-fake/auth.js";
import { startGraphFake } from "../../dev/graph-fake/server.js";
import type {
  FakeUser,
  FakeUserSeed,
  GraphFake,
  GraphFakeOptions,
} from "../../dev/graph-fake/types.js";

let certificate: Promise<TlsMaterial> | undefined;

/** One localhost certificate per test process (generating RSA keys takes a while). */
export function testCertificate(): Promise<TlsMaterial> {
  certificate ??= generateLocalhostCert();
  return certificate;
}

/** Makes every fetch that uses undici's global dispatcher (Node's fetch, the Graph SDK) trust `ca`. */
export function trustCertificateGlobally(ca: string): void {
  setGlobalDispatcher(new Agent({ connect: { ca } }));
}

export interface TestFetchInit extends Omit<RequestInit, "body"> {
  /** Buffers are fine too (undici sends them as is). */
  body?: RequestInit["body"] | Uint8Array;
  /** false: no Authorization header; a string: use this token instead of the default one. */
  auth?: boolean | string;
}

export interface TestFake {
  fake: GraphFake;
  ca: string;
  /** A development token for the default user with all three scopes. */
  token: string;
  dataDir: string;
  /**
   * fetch against the fake: absolute URLs as given, `/v1.0…` and `/_…` relative to the fake's
   * origin, any other path relative to the Graph base URL (`/me` → `…/v1.0/me`).
   */
  fetch(pathOrUrl: string, init?: TestFetchInit): Promise<Response>;
  /**
   * Seeds a user with their own mailbox (a copy of the sample unless `mailbox: "empty"`) and
   * OneDrive, and mints a delegated token for them (default: the add-in's three scopes).
   */
  seedUser(seed: FakeUserSeed, scopes?: string): { user: FakeUser; token: string };
  /** An app-only token: `roles` (default Files.ReadWrite.AppFolder), no `scp`, `idtyp: "app"`. */
  appToken(roles?: string[]): string;
  stop(): Promise<void>;
}

export type StartTestFakeOptions = Partial<Omit<GraphFakeOptions, "tls">> & {
  /** Keep the data directory after stop() (for restart tests). */
  keepDataDir?: boolean;
};

export async function startTestFake(opts: StartTestFakeOptions = {}): Promise<TestFake> {
  const tls = await testCertificate();
  const { keepDataDir, ...rest } = opts;
  const dataDir = rest.dataDir ?? mkdtempSync(join(tmpdir(), "sept-graph-fake-"));
  const fake = await startGraphFake({ port: 0, seedLarge: false, ...rest, dataDir, tls });
  const token = makeDevToken();
  const dispatcher = new Agent({ connect: { ca: tls.ca } });
  const resolveUrl = (p: string) =>
    /^https?:/.test(p)
      ? p
      : /^\/(v1\.0|_)/.test(p)
        ? `${fake.url}${p}`
        : `${fake.graphBaseUrl}${p.startsWith("/") ? "" : "/"}${p}`;
  return {
    fake,
    ca: tls.ca,
    token,
    dataDir,
    async fetch(pathOrUrl, init = {}) {
      const { auth = true, ...requestInit } = init;
      const headers = new Headers(requestInit.headers);
      if (auth !== false && !headers.has("authorization")) {
        headers.set("Authorization", `Bearer ${typeof auth === "string" ? auth : token}`);
      }
      const res = await undiciFetch(resolveUrl(pathOrUrl), {
        ...(requestInit as Record<string, unknown>),
        headers: Object.fromEntries(headers),
        dispatcher,
      });
      return res as unknown as Response;
    },
    seedUser(seed, scopes = DEFAULT_SCOPES) {
      const user = fake.seedUser(seed);
      const token = makeDevToken({
        sub: `sub-${user.id}`,
        oid: user.id,
        upn: user.upn,
        name: user.name,
        scp: scopes,
      });
      return { user, token };
    },
    appToken(roles) {
      return makeAppToken(roles ? { roles } : {});
    },
    async stop() {
      await fake.close();
      await dispatcher.close();
      if (!keepDataDir && !rest.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
