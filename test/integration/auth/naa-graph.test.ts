// @vitest-environment jsdom
// Nested app auth end to end without Outlook: the real MSAL nested client gets its token from a
// fake host bridge, the pane's Graph client sends it, and the Graph fake (a real HTTPS server)
// accepts exactly that token as if Entra had issued it for the scopes the bridge was asked for.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAccountManager } from "../../../src/adapters/auth/account-manager.js";
import { createGraphClient } from "../../../src/adapters/graph/graph-client.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import { createFakeOffice } from "../../support/fake-office.js";
import { startGraphFake } from "../../../dev/graph-fake/server.js";
import type { GraphFake } from "../../../dev/graph-fake/types.js";
import { trustCertificateGlobally } from "../../support/graph-fake.js";
import { installFakeNaaBridge, NAA_USER, type FakeNaaBridge } from "../../support/naa-bridge.js";

const CLIENT_ID = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";

let fake: GraphFake;
let dataDir: string;
let bridge: FakeNaaBridge | null = null;

/**
 * MSAL needs a browser (jsdom), where the `selfsigned` package cannot sign (jsdom's typed arrays
 * are not Node's): the fake's localhost certificate comes from the openssl command instead.
 */
function opensslLocalhostCert(dir: string): { key: string; cert: string } {
  const run = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return {
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sept-naa-graph-"));
  const tls = opensslLocalhostCert(dataDir);
  fake = await startGraphFake({ port: 0, dataDir: join(dataDir, "graph"), seedLarge: false, tls });
  trustCertificateGlobally(tls.cert);
});
afterAll(async () => {
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  bridge?.uninstall();
  bridge = null;
});

function pane() {
  const office = createFakeOffice({ requirements: { Mailbox: "1.14", NestedAppAuth: "1.1" } });
  office.runtime.context.mailbox.userProfile = {
    displayName: NAA_USER.name,
    emailAddress: NAA_USER.username,
  };
  const auth = createAccountManager({
    clientId: CLIENT_ID,
    tenant: "organizations",
    authPageUrl: "https://localhost:3000/auth.html",
    runtime: () => office.runtime,
    timeouts: { nestedInitMs: 1000, silentMs: 2000, interactiveMs: 2000 },
  });
  const scopes = [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail, GRAPH_SCOPES.storage];
  return { auth, graph: createGraphClient({ graphBaseUrl: fake.graphBaseUrl, auth, scopes }) };
}

/** Plays Entra: every token the bridge handed out is valid at the fake for the scopes asked. */
function registerIssuedTokens(b: FakeNaaBridge): void {
  for (const grant of b.grants) {
    fake.acceptToken(grant.token, {
      sub: NAA_USER.oid,
      upn: NAA_USER.username,
      name: NAA_USER.name,
      scp: grant.scope,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
  }
}

describe("nested app auth against the Graph fake", () => {
  it("calls Graph with the token the host's bridge issued", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const { auth, graph } = pane();
    expect(await auth.flow()).toBe("nested");
    // The token is fetched once, before any Graph call, to play Entra's part.
    const token = await auth.getAccessToken([
      GRAPH_SCOPES.profile,
      GRAPH_SCOPES.mail,
      GRAPH_SCOPES.storage,
    ]);
    registerIssuedTokens(bridge);
    fake.clearRequests();
    const me = (await graph.api("/me").get()) as { userPrincipalName?: string; mail?: string };
    expect(JSON.stringify(me)).toContain(NAA_USER.username);
    expect(bridge.issued).toEqual([token]);
    expect(fake.requests().map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/v1.0/me", 200],
    ]);
    // The fake logs the Authorization header redacted: the token never lands in a log.
    expect(JSON.stringify(fake.requests())).not.toContain(token);
  });

  it("gets only what it asked for: a User.Read token reads the profile, not the mailbox", async () => {
    bridge = installFakeNaaBridge({ clientId: CLIENT_ID });
    const { auth } = pane();
    const token = await auth.getAccessToken([GRAPH_SCOPES.profile]);
    registerIssuedTokens(bridge);
    const get = (path: string) =>
      fetch(`${fake.graphBaseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await get("/me")).status).toBe(200);
    expect((await get("/me/messages")).status).toBe(403);
  });

  it("is refused by Graph when Entra never issued the token (control)", async () => {
    bridge = installFakeNaaBridge({
      clientId: CLIENT_ID,
      silent: () => ({ token: "not-from-entra" }),
    });
    const { graph } = pane();
    await expect(graph.api("/me").get()).rejects.toMatchObject({ statusCode: 401 });
  });
});
