// The admin's tenant check end to end: device-code sign-in through MSAL for Node against a local
// stand-in of the identity platform, then every probe against the Graph fake.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTenantCheckArgs, tenantCheck } from "../../../scripts/tenant-check.js";
import type { ProbeResult } from "../../../scripts/tenant-check/probes.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { startOidcStandIn, type OidcStandIn } from "../../support/oidc-stand-in.js";

const CLIENT_ID = "00000000-0000-4000-8000-00000000c0de";
const TENANT = "contoso-build.example";

describe("the tenant check", () => {
  const t = useTestFake();
  let idp: OidcStandIn;

  beforeAll(async () => {
    idp = await startOidcStandIn({ pendingPolls: 1 });
  });
  afterAll(async () => {
    await idp?.close();
  });

  async function run(authority = idp.url) {
    const printed: string[] = [];
    const outcome = await tenantCheck(
      { clientId: CLIENT_ID, tenant: TENANT, graphBaseUrl: t.fake.graphBaseUrl, authority },
      (text) => printed.push(text),
    );
    const row = (check: string): ProbeResult => {
      const found = outcome.results.find((r) => r.check === check);
      if (!found) throw new Error(`no row '${check}'`);
      return found;
    };
    return { ...outcome, output: printed.join("\n"), row };
  }

  /** What the run left in the user's app folder. */
  async function appFolderNames(): Promise<string[]> {
    const res = await t.fetch("/me/drive/special/approot/children?$select=name");
    const body = (await res.json()) as { value: Array<{ name: string }> };
    return body.value.map((v) => v.name);
  }

  it("signs in with a device code and passes every probe on a tenant that allows them all", async () => {
    t.fake.setFaults({ permanentDelete: "allowed" });
    const { exitCode, results, output } = await run();
    expect(output).toContain("enter the code STANDIN1");
    expect(
      idp.posts.some((p) => p.endpoint === "devicecode" && p.form.client_id === CLIENT_ID),
    ).toBe(true);
    expect(results.map((r) => [r.check, r.outcome])).toEqual([
      ["Permissions in the token", "pass"],
      ["App folder reachable", "pass"],
      ["Write, then read back through the download URL", "pass"],
      ["Upload session (320 KiB fragments)", "pass"],
      ["$batch JSON write", "pass"],
      ["Permanent delete", "pass"],
      ["Read one message", "pass"],
      ["Clean up", "pass"],
    ]);
    expect(exitCode).toBe(0);
    expect(output).toContain("Every check passed");
    expect(await appFolderNames()).toEqual([]);
  });

  it("fails with what to fix when Graph refuses the app folder, and still reads a message", async () => {
    t.fake.setFaults({ approotForbidden: true });
    const { exitCode, row, output } = await run();
    expect(exitCode).toBe(1);
    expect(row("App folder reachable").outcome).toBe("fail");
    expect(row("App folder reachable").fix).toMatch(/Files\.ReadWrite\.AppFolder.*admin consent/);
    expect(row("Upload session (320 KiB fragments)").outcome).toBe("skipped");
    expect(row("Read one message").outcome).toBe("pass");
    expect(output).toContain("FAIL");
  });

  it("reports the recycle-bin fallback, and what it means, when permanentDelete is refused", async () => {
    t.fake.setFaults({ permanentDelete: "refused" });
    const { exitCode, row } = await run();
    expect(row("Permanent delete").outcome).toBe("fallback");
    expect(row("Permanent delete").detail).toMatch(/refused \(403/);
    expect(row("Permanent delete").fix).toMatch(/recycle bin/);
    expect(row("Clean up").outcome).toBe("fallback");
    expect(exitCode).toBe(0);
    t.fake.setFaults({});
    expect(await appFolderNames()).toEqual([]);
  });

  it("fails the permissions and the message read when the tenant did not grant Mail.Read", async () => {
    const narrow = await startOidcStandIn({
      grantedScopes: ["User.Read", "Files.ReadWrite.AppFolder"],
    });
    try {
      const { exitCode, row } = await run(narrow.url);
      expect(exitCode).toBe(1);
      expect(row("Permissions in the token")).toMatchObject({
        outcome: "fail",
        detail: "missing Mail.Read",
      });
      expect(row("Read one message").outcome).toBe("fail");
      expect(row("Read one message").fix).toMatch(/Mail\.Read/);
      expect(row("App folder reachable").outcome).toBe("pass");
    } finally {
      await narrow.close();
    }
  });

  it("runs from the command line as `npm run tenant-check --` does, with exit code 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sept-tenant-check-"));
    const ca = join(dir, "ca.pem");
    writeFileSync(ca, t.ca);
    try {
      const args = [
        "--client-id", CLIENT_ID,
        "--tenant", TENANT,
        "--graph-base-url", t.fake.graphBaseUrl,
        "--authority", idp.url,
      ]; // prettier-ignore
      const child = spawn(
        process.execPath,
        ["node_modules/tsx/dist/cli.mjs", "scripts/tenant-check.ts", ...args],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: ca }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.on("exit", r));
      expect(out).toContain("enter the code STANDIN1");
      expect(out).toMatch(/Upload session \(320 KiB fragments\)\s+pass/);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the tenant check's arguments", () => {
  it("needs --client-id and --tenant, and defaults to Microsoft's Graph and sign-in hosts", () => {
    expect(() => parseTenantCheckArgs(["--tenant", "contoso.example"])).toThrow(/--client-id/);
    expect(parseTenantCheckArgs(["--client-id", "abc", "--tenant", "contoso.example"])).toEqual({
      clientId: "abc",
      tenant: "contoso.example",
      graphBaseUrl: "https://graph.microsoft.com/v1.0",
      authority: "https://login.microsoftonline.com",
    });
  });

  it("refuses an option it does not know rather than ignoring it", () => {
    expect(() =>
      parseTenantCheckArgs(["--client-id", "a", "--tenant", "b", "--graph-url", "x"]),
    ).toThrow();
  });
});
