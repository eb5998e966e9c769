// `npm run validate [manifest]`: checks the add-in manifest three ways and exits non-zero on any
// failure. (a) Microsoft's XSDs, offline and in-process (libxml2 as WebAssembly: no xmllint
// needed); (b) the promises we make to admins and Microsoft's certification (least privilege,
// https only, icons that exist at their size, pinning); (c) office-addin-manifest's own parser.
// `office-addin-manifest validate` is not used: it needs Microsoft's online service.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validateXmlFile } from "./manifest-schema.js";
import { readManifestFacts, type ManifestFacts } from "./manifest.js";

export type CheckStatus = "pass" | "fail" | "warn";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface SchemaCheckOptions {
  /** Directory holding OfficeAppManifestV1_1.xsd and its imports. */
  schemasDir?: string;
  /** Environment to read MANIFEST_SCHEMAS_DIR and CI from. */
  env?: Record<string, string | undefined>;
}

export const ROOT_SCHEMA = "OfficeAppManifestV1_1.xsd";

/** Delegated Graph scopes the add-in may ask for (DESIGN.md, least privilege). */
export const ALLOWED_SCOPES: ReadonlySet<string> = new Set([
  "openid",
  "profile",
  "offline_access",
  "User.Read",
  "Mail.Read",
  "Files.ReadWrite.AppFolder",
]);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function result(name: string, status: CheckStatus, detail: string): CheckResult {
  return { name, status, detail };
}

// ---- (a) schema ---------------------------------------------------------------------------

export function defaultSchemasDir(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.MANIFEST_SCHEMAS_DIR ?? join(REPO_ROOT, "../shared/office-manifest-schemas"));
}

/** Validates the manifest file against Microsoft's XSDs (libxml2, in-process). */
export function schemaCheck(manifestPath: string, opts: SchemaCheckOptions = {}): CheckResult {
  const name = "schema (OfficeAppManifestV1_1.xsd)";
  const env = opts.env ?? process.env;
  const schemasDir = opts.schemasDir ?? defaultSchemasDir(env);
  const rootSchema = join(schemasDir, ROOT_SCHEMA);
  if (!existsSync(rootSchema)) {
    const detail = `schemas not found at ${schemasDir} (set MANIFEST_SCHEMAS_DIR)`;
    // On CI a skipped schema check would let an invalid manifest through unnoticed.
    return env.CI === "true"
      ? result(name, "fail", detail)
      : result(name, "warn", `${detail}: schema check skipped`);
  }
  let verdict;
  try {
    verdict = validateXmlFile(manifestPath, rootSchema);
  } catch (error) {
    return result(name, "fail", `could not load ${rootSchema}: ${(error as Error).message}`);
  }
  return verdict.valid
    ? result(name, "pass", `valid against ${rootSchema}`)
    : result(name, "fail", verdict.errors.join("\n"));
}

// ---- (b) semantics ------------------------------------------------------------------------

/** Width and height from a PNG's IHDR chunk, or undefined if the bytes are not a PNG. */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((byte, i) => bytes[i] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== "IHDR") return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function permissionsCheck(facts: ManifestFacts): CheckResult {
  const name = "Permissions is ReadItem";
  return facts.permissions === "ReadItem"
    ? result(name, "pass", "ReadItem")
    : result(name, "fail", `found "${facts.permissions ?? "(none)"}"; only ReadItem is allowed`);
}

function httpsCheck(facts: ManifestFacts): CheckResult {
  const name = "every URL is https";
  const insecure = facts.urls.filter((u) => !u.url.startsWith("https://"));
  return insecure.length === 0
    ? result(name, "pass", `${facts.urls.length} URLs`)
    : result(name, "fail", insecure.map((u) => `${u.url} (${u.where})`).join("; "));
}

/** Problem with one icon, or undefined when its file exists at the declared size. */
function iconProblem(url: string, size: number, assetsDir: string): string | undefined {
  const marker = url.lastIndexOf("/assets/");
  if (marker < 0) return `${url} is not under /assets/`;
  const file = join(assetsDir, url.slice(marker + "/assets/".length));
  if (!existsSync(file)) return `${file} is missing (declared ${size}px)`;
  const png = readPngSize(readFileSync(file));
  if (!png) return `${file} is not a PNG`;
  if (png.width !== size || png.height !== size) {
    return `${file} is ${png.width}x${png.height}, declared ${size}x${size}`;
  }
  return undefined;
}

function iconsCheck(facts: ManifestFacts, assetsDir: string): CheckResult {
  const name = "icons exist at their declared size";
  if (facts.icons.length === 0) return result(name, "fail", "no icons declared");
  const unique = new Map(facts.icons.map((icon) => [`${icon.size} ${icon.url}`, icon]));
  const problems = [...unique.values()]
    .map((icon) => iconProblem(icon.url, icon.size, assetsDir))
    .filter((problem): problem is string => problem !== undefined);
  return problems.length === 0
    ? result(name, "pass", `${unique.size} icons in ${assetsDir}`)
    : result(name, "fail", problems.join("; "));
}

function supportUrlCheck(facts: ManifestFacts): CheckResult {
  const name = "SupportUrl present";
  return facts.supportUrl
    ? result(name, "pass", facts.supportUrl)
    : result(name, "fail", "SupportUrl is required for certification (policy 1120)");
}

function displayNameCheck(facts: ManifestFacts): CheckResult {
  const name = "DisplayName present";
  return facts.displayName
    ? result(name, "pass", facts.displayName)
    : result(name, "fail", "DisplayName is missing");
}

function isForbiddenScope(scope: string): boolean {
  return scope === "Mail.ReadWrite" || scope.endsWith(".All") || scope.includes(".All.");
}

/**
 * In an add-in-only manifest, WebApplicationInfo configures Office's legacy SSO (getAccessToken).
 * SEPT uses nested app authentication, which asks for scopes at run time, so the element must be
 * absent (Microsoft's NAA samples have none; admin consent goes through the admin consent URL:
 * office-js-docs-pr docs/publish/publish-nested-app-auth-add-in.md). Scopes written there anyway
 * are still held to least privilege, so the failure names every problem at once.
 */
function scopesCheck(facts: ManifestFacts): CheckResult {
  const name = "no legacy SSO Graph scopes (nested app authentication)";
  const info = facts.webApplicationInfo;
  if (!info) return result(name, "pass", "Graph scopes are asked at run time by MSAL");
  const forbidden = info.scopes.filter(isForbiddenScope);
  const unexpected = info.scopes.filter((s) => !ALLOWED_SCOPES.has(s) && !isForbiddenScope(s));
  const problems = [
    "WebApplicationInfo is Office's legacy SSO element; an add-in using nested app authentication declares none",
    ...forbidden.map((s) => `${s} is never allowed`),
    ...unexpected.map((s) => `${s} is not in {${[...ALLOWED_SCOPES].join(", ")}}`),
  ];
  return result(name, "fail", problems.join("; "));
}

function pinningCheck(facts: ManifestFacts): CheckResult {
  const name = "task pane button supports pinning";
  const candidates = facts.buttons.filter(
    (b) => b.scope === "VersionOverridesV1_1" && b.actionType === "ShowTaskpane",
  );
  if (candidates.length === 0) {
    return result(name, "fail", "no ShowTaskpane button in VersionOverridesV1_1");
  }
  const unpinned = candidates.filter((b) => !b.supportsPinning);
  return unpinned.length === 0
    ? result(name, "pass", candidates.map((b) => b.id).join(", "))
    : result(name, "fail", `${unpinned.map((b) => b.id).join(", ")} lacks SupportsPinning`);
}

function resourceReferencesCheck(facts: ManifestFacts): CheckResult {
  const name = "every resid names a resource";
  return facts.danglingResids.length === 0
    ? result(name, "pass", "all resolved")
    : result(name, "fail", `unknown: ${facts.danglingResids.join(", ")}`);
}

/** The rules the XSD cannot express. `assetsDir` holds the icon files the URLs point at. */
export function semanticChecks(xml: string, assetsDir: string): CheckResult[] {
  let facts: ManifestFacts;
  try {
    facts = readManifestFacts(xml);
  } catch (error) {
    return [result("manifest is well-formed", "fail", (error as Error).message)];
  }
  return [
    permissionsCheck(facts),
    httpsCheck(facts),
    iconsCheck(facts, assetsDir),
    supportUrlCheck(facts),
    displayNameCheck(facts),
    scopesCheck(facts),
    pinningCheck(facts),
    resourceReferencesCheck(facts),
  ];
}

// ---- (c) office-addin-manifest -------------------------------------------------------------

export function officeAddinInfoCheck(
  manifestPath: string,
  cli = join(REPO_ROOT, "node_modules/.bin/office-addin-manifest"),
): CheckResult {
  const name = "office-addin-manifest info";
  const run = spawnSync(cli, ["info", manifestPath], { encoding: "utf8", timeout: 60_000 });
  if (run.error) return result(name, "fail", `could not run ${cli}: ${run.error.message}`);
  const output = `${run.stdout}\n${run.stderr}`.trim();
  // It prints parse errors on stderr; treat any "Error:" as failure even if it exits 0.
  if (run.status !== 0 || /^Error:/m.test(run.stderr)) return result(name, "fail", output);
  const type = /^\s*Type:\s*(.+)$/m.exec(run.stdout)?.[1]?.trim();
  return result(name, "pass", `parsed (${type ?? "unknown type"})`);
}

// ---- CLI ----------------------------------------------------------------------------------

export interface ValidateOptions extends SchemaCheckOptions {
  /** Where the icon files live; defaults to `assets/` next to the manifest. */
  assetsDir?: string;
}

export function validateManifest(manifestPath: string, opts: ValidateOptions = {}): CheckResult[] {
  const path = resolve(manifestPath);
  if (!existsSync(path)) return [result("manifest exists", "fail", `${path} not found`)];
  const assetsDir = opts.assetsDir ?? join(dirname(path), "assets");
  return [
    schemaCheck(path, opts),
    ...semanticChecks(readFileSync(path, "utf8"), assetsDir),
    officeAddinInfoCheck(path),
  ];
}

export function formatResult(check: CheckResult): string {
  return `${check.status.toUpperCase().padEnd(4)}  ${check.name}: ${check.detail}`;
}

function isMain(): boolean {
  return (
    process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
  );
}

if (isMain()) {
  const manifestPath = process.argv[2] ?? "manifest.xml";
  const results = validateManifest(manifestPath);
  for (const check of results) console.log(formatResult(check));
  const failures = results.filter((check) => check.status === "fail").length;
  console.log(
    failures === 0
      ? `manifest ${manifestPath}: all checks passed`
      : `manifest ${manifestPath}: ${failures} check(s) FAILED`,
  );
  process.exitCode = failures === 0 ? 0 : 1;
}
