// @vitest-environment node
// `npm run validate` on a machine that has Node and nothing else: no xmllint on PATH.
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../scripts/validate-manifest.js";
import { MANIFEST_PATH, readRealManifest, replaceOnce, requireSchemas } from "./schema-tools.js";

/** A PATH whose only program is node itself. */
function nodeOnlyPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "sept-node-only-"));
  symlinkSync(process.execPath, join(dir, "node"));
  return dir;
}

function runValidate(manifestPath: string): { status: number | null; output: string } {
  const PATH = nodeOnlyPath();
  const xmllint = spawnSync("xmllint", ["--version"], { env: { PATH } });
  // The premise of these tests: xmllint cannot be found.
  expect((xmllint.error as NodeJS.ErrnoException | undefined)?.code).toBe("ENOENT");
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "scripts/validate-manifest.ts"), manifestPath],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH, CI: "true" },
      timeout: 120_000,
    },
  );
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

function schemaLine(output: string): string | undefined {
  return output.split("\n").find((line) => line.includes("schema (OfficeAppManifestV1_1.xsd)"));
}

describe("npm run validate without xmllint", () => {
  it("passes our manifest", () => {
    requireSchemas();
    const run = runValidate(MANIFEST_PATH);
    expect(schemaLine(run.output)).toMatch(/^PASS/);
    expect(run.output).toContain("all checks passed");
    expect(run.status).toBe(0);
  }, 120_000);

  it("fails a manifest with an element out of order", () => {
    requireSchemas();
    const withoutPermissions = replaceOnce(
      readRealManifest(),
      "  <Permissions>ReadItem</Permissions>\n",
      "",
    );
    const misplaced = replaceOnce(
      withoutPermissions,
      "  <DisplayName ",
      "  <Permissions>ReadItem</Permissions>\n  <DisplayName ",
    );
    const path = join(mkdtempSync(join(tmpdir(), "sept-manifest-")), "manifest.xml");
    writeFileSync(path, misplaced);
    const run = runValidate(path);
    expect(schemaLine(run.output)).toMatch(/^FAIL.*Permissions.*not expected/);
    expect(run.status).toBe(1);
  }, 120_000);
});
