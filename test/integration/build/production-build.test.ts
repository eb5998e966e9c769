// The production build an admin hosts: webpack in production mode with a real ADDIN_BASE_URL and
// client id, into a temporary folder, then the same checks `npm run validate` runs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestVersion } from "../../../scripts/build-config.js";
import { readManifestFacts } from "../../../scripts/manifest.js";
import { REPO_ROOT, schemaCheck, semanticChecks } from "../../../scripts/validate-manifest.js";
import { defaultOrgPolicy, validateOrgPolicy } from "../../../src/core/org-policy.js";

const BASE_URL = "https://addin.contoso.example/sept";
const CLIENT_ID = "0d4b7c2e-8f31-4a6b-9c5d-7e2f1a3b4c5d";
const DEV_CLIENT_ID = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
};

let out: string;
let build: ReturnType<typeof spawnSync>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "sept-prod-build-"));
  // The build reads its configuration from the environment; the developer's own must not leak in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ADDIN_|SEPT_|GRAPH_|PRIVACY_)/.test(k)),
  );
  build = spawnSync(
    join(REPO_ROOT, "node_modules/.bin/webpack"),
    ["--mode", "production", "--env", `outputDir=${out}`],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      // A guard against a hung build, not a performance limit: a loaded 2-core machine needs minutes.
      timeout: 290_000,
      env: { ...env, ADDIN_BASE_URL: BASE_URL, SEPT_CLIENT_ID: CLIENT_ID },
    },
  );
}, 300_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(join(out, name), "utf8");

describe("the production build", () => {
  it("builds", () => {
    const output = `${String(build.stderr)}${String(build.stdout)}`;
    expect(build.error).toBeUndefined();
    expect(build.status, output).toBe(0);
    expect(output).not.toMatch(/ERROR/);
  });

  it("writes a manifest that passes the schema check and every semantic check", () => {
    const manifest = join(out, "manifest.xml");
    expect(schemaCheck(manifest, { env: { CI: "true" } })).toMatchObject({ status: "pass" });
    const failures = semanticChecks(read("manifest.xml"), join(out, "assets")).filter(
      (check) => check.status !== "pass",
    );
    expect(failures).toEqual([]);
  });

  it("puts every add-in URL on ADDIN_BASE_URL and the version from package.json, and declares no legacy SSO", () => {
    const xml = read("manifest.xml");
    const facts = readManifestFacts(xml);
    expect(xml).not.toContain("localhost");
    expect(facts.version).toBe(manifestVersion(pkg.version));
    // Nested app authentication takes the client id from the pane's bundle (checked below).
    expect(facts.webApplicationInfo).toBeUndefined();
    expect(xml).not.toContain(DEV_CLIENT_ID);
    const external = new Set([
      "https://septsoftware.com/support",
      "https://septsoftware.com",
      "https://login.microsoftonline.com",
    ]);
    const stray = facts.urls.filter(
      (u) => !u.url.startsWith(`${BASE_URL}/`) && !external.has(u.url),
    );
    expect(stray).toEqual([]);
    for (const u of facts.urls.filter((u) => u.url.startsWith(BASE_URL))) {
      const file = u.url.slice(BASE_URL.length + 1);
      expect(existsSync(join(out, file)), `${file} (${u.where})`).toBe(true);
    }
  });

  it("ships the sign-in dialog page, loading Office.js like the task pane, without inline scripts", () => {
    for (const page of ["taskpane.html", "commands.html", "auth.html"]) {
      const html = read(page);
      expect(html).toContain("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
      // CSP has no 'unsafe-inline' for scripts: every <script> must have a src.
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    }
    const authScript = /<script defer src=(?:"|)?(auth\.[0-9a-f]+\.js)/.exec(
      read("auth.html"),
    )?.[1];
    expect(authScript).toBeDefined();
    const bundle = read(authScript ?? "");
    expect(bundle).toContain(CLIENT_ID);
    expect(bundle).not.toContain(DEV_CLIENT_ID);
  });

  it("ships a valid org-policy.json beside the pages", () => {
    const policy = JSON.parse(read("org-policy.json")) as unknown;
    const defaults = defaultOrgPolicy({
      privacyPolicyUrl: "https://septsoftware.com/privacy-policy",
      privacyPolicyVersion: "2024-02-14",
    });
    expect(validateOrgPolicy(policy, defaults).problems).toEqual([]);
  });

  it("contains no source maps and no development-only pages", () => {
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files).not.toContain("outlook.html");
  });
});
