// @vitest-environment node
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  readPngSize,
  semanticChecks,
  type CheckResult,
} from "../../../scripts/validate-manifest.js";
import { ASSETS_DIR, readRealManifest, replaceOnce } from "./schema-tools.js";

function failures(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === "fail");
}

function failed(results: CheckResult[], name: RegExp): CheckResult {
  const failure = failures(results).find((r) => name.test(r.name));
  if (!failure)
    throw new Error(`expected a failing check matching ${name}, got ${JSON.stringify(results)}`);
  return failure;
}

/** A copy of assets/ the test may damage. */
function copyOfAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), "sept-assets-"));
  for (const file of readdirSync(ASSETS_DIR)) copyFileSync(join(ASSETS_DIR, file), join(dir, file));
  return dir;
}

describe("manifest semantic checks", () => {
  it("pass on the real manifest and icons", () => {
    const results = semanticChecks(readRealManifest(), ASSETS_DIR);
    expect(failures(results)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(7);
  });

  it("reject ReadWriteMailbox", () => {
    const xml = replaceOnce(readRealManifest(), ">ReadItem<", ">ReadWriteMailbox<");
    expect(failed(semanticChecks(xml, ASSETS_DIR), /Permissions/).detail).toContain(
      "ReadWriteMailbox",
    );
  });

  it("reject ReadWriteItem too: only ReadItem is needed", () => {
    const xml = replaceOnce(readRealManifest(), ">ReadItem<", ">ReadWriteItem<");
    failed(semanticChecks(xml, ASSETS_DIR), /Permissions/);
  });

  it("reject an http:// URL", () => {
    const xml = replaceOnce(
      readRealManifest(),
      '<SupportUrl DefaultValue="https://',
      '<SupportUrl DefaultValue="http://',
    );
    expect(failed(semanticChecks(xml, ASSETS_DIR), /https/).detail).toContain(
      "http://septsoftware.com/support",
    );
  });

  it("reject an http:// task pane location inside VersionOverrides", () => {
    const xml = readRealManifest().replace(
      'id="Taskpane.Url" DefaultValue="https://localhost:3000/',
      'id="Taskpane.Url" DefaultValue="http://localhost:3000/',
    );
    failed(semanticChecks(xml, ASSETS_DIR), /https/);
  });

  it("reject a missing icon file", () => {
    const assets = copyOfAssets();
    rmSync(join(assets, "icon-80.png"));
    expect(failed(semanticChecks(readRealManifest(), assets), /icons/).detail).toMatch(
      /icon-80\.png is missing/,
    );
  });

  it("reject an icon whose pixel size differs from the declared one", () => {
    const assets = copyOfAssets();
    copyFileSync(join(ASSETS_DIR, "icon-32.png"), join(assets, "icon-80.png"));
    expect(failed(semanticChecks(readRealManifest(), assets), /icons/).detail).toContain(
      "is 32x32, declared 80x80",
    );
  });

  it("pass the checked-in manifest, which declares no legacy SSO WebApplicationInfo", () => {
    const check = semanticChecks(readRealManifest(), ASSETS_DIR).find((c) => /scopes/.test(c.name));
    expect(check?.status).toBe("pass");
  });

  it("reject a WebApplicationInfo, even one with least-privilege scopes", () => {
    const xml = withWebApplicationInfo(["User.Read", "Files.ReadWrite.AppFolder"]);
    expect(failed(semanticChecks(xml, ASSETS_DIR), /scopes/).detail).toContain("legacy SSO");
  });

  it("reject Mail.ReadWrite among declared Graph scopes", () => {
    const xml = withWebApplicationInfo(["User.Read", "Mail.ReadWrite"]);
    expect(failed(semanticChecks(xml, ASSETS_DIR), /scopes/).detail).toContain("Mail.ReadWrite");
  });

  it("reject any *.All scope and any scope outside the allowed set", () => {
    const xml = withWebApplicationInfo(["Files.Read.All", "Calendars.Read"]);
    const detail = failed(semanticChecks(xml, ASSETS_DIR), /scopes/).detail;
    expect(detail).toContain("Files.Read.All is never allowed");
    expect(detail).toContain("Calendars.Read is not in");
  });

  it("reject a task pane button without SupportsPinning", () => {
    const xml = replaceOnce(readRealManifest(), /\s*<SupportsPinning>true<\/SupportsPinning>/, "");
    failed(semanticChecks(xml, ASSETS_DIR), /pinning/);
  });

  it("reject a missing SupportUrl and a missing DisplayName", () => {
    const noSupport = replaceOnce(readRealManifest(), /\s*<SupportUrl [^>]*\/>/, "");
    failed(semanticChecks(noSupport, ASSETS_DIR), /SupportUrl/);
    const noName = replaceOnce(readRealManifest(), /\s*<DisplayName [\s\S]*?<\/DisplayName>/, "");
    failed(semanticChecks(noName, ASSETS_DIR), /DisplayName/);
  });

  it("reject a resid that names no resource", () => {
    const xml = readRealManifest().replace(
      '<FunctionFile resid="Commands.Url" />',
      '<FunctionFile resid="Nope" />',
    );
    expect(failed(semanticChecks(xml, ASSETS_DIR), /resid/).detail).toContain("Nope");
  });

  it("report XML that is not well-formed instead of throwing", () => {
    const results = semanticChecks("<OfficeApp><Id>x</OfficeApp>", ASSETS_DIR);
    expect(failures(results).map((r) => r.name)).toEqual(["manifest is well-formed"]);
  });
});

describe("readPngSize", () => {
  it("reads width and height from IHDR and refuses non-PNG bytes", () => {
    expect(readPngSize(readFileSync(join(ASSETS_DIR, "icon-80.png")))).toEqual({
      width: 80,
      height: 80,
    });
    expect(readPngSize(new Uint8Array(Buffer.from("GIF89a not a png at all, really")))).toBe(
      undefined,
    );
  });
});

/** Our manifest with a legacy-SSO WebApplicationInfo added at the end of the inner overrides. */
function withWebApplicationInfo(scopes: string[]): string {
  const block = [
    "<WebApplicationInfo>",
    "<Id>6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41</Id>",
    "<Resource>api://localhost:3000/6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41</Resource>",
    `<Scopes>${scopes.map((s) => `<Scope>${s}</Scope>`).join("")}</Scopes>`,
    "</WebApplicationInfo>",
  ].join("");
  return replaceOnce(
    readRealManifest(),
    /<\/VersionOverrides>\s*<\/VersionOverrides>/,
    `${block}</VersionOverrides></VersionOverrides>`,
  );
}
