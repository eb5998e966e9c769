// Shared by the manifest tests: the schema check must really run, so a machine without the XSDs
// fails these tests with the fix, instead of skipping them quietly.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  REPO_ROOT,
  ROOT_SCHEMA,
  defaultSchemasDir,
  schemaCheck,
  type CheckResult,
} from "../../../scripts/validate-manifest.js";

export const MANIFEST_PATH = join(REPO_ROOT, "manifest.xml");
export const ASSETS_DIR = join(REPO_ROOT, "assets");

export function readRealManifest(): string {
  return readFileSync(MANIFEST_PATH, "utf8");
}

/** Throws, failing the test, when Microsoft's XSDs are not where the validator looks. */
export function requireSchemas(): void {
  const dir = defaultSchemasDir();
  if (!existsSync(join(dir, ROOT_SCHEMA))) {
    throw new Error(`Office manifest XSDs not found in ${dir}; set MANIFEST_SCHEMAS_DIR`);
  }
}

/** Writes `xml` to a fresh temp file and runs the schema check on it, CI-strict. */
export function schemaCheckXml(xml: string): CheckResult {
  requireSchemas();
  const path = join(mkdtempSync(join(tmpdir(), "sept-manifest-")), "manifest.xml");
  writeFileSync(path, xml);
  return schemaCheck(path, { env: { ...process.env, CI: "true" } });
}

/** Replaces exactly one occurrence, so a test cannot pass because its edit silently missed. */
export function replaceOnce(xml: string, search: string | RegExp, replacement: string): string {
  const count =
    typeof search === "string"
      ? xml.split(search).length - 1
      : (xml.match(new RegExp(search.source, "g")) ?? []).length;
  if (count !== 1) throw new Error(`expected one match of ${String(search)}, found ${count}`);
  return xml.replace(search, replacement);
}
