// @vitest-environment node
import { describe, expect, it } from "vitest";
import { DEV_CLIENT_ID, LOCAL_BASE_URL } from "../../../scripts/build-config.js";
import { readManifestFacts, transformManifest } from "../../../scripts/manifest.js";
import { semanticChecks } from "../../../scripts/validate-manifest.js";
import { ASSETS_DIR, readRealManifest, schemaCheckXml } from "./schema-tools.js";

const PROD = {
  baseUrl: "https://outlook.septsoftware.com/addin/",
};

describe("transformManifest", () => {
  it("the checked-in manifest uses the dev base URL and names no client id", () => {
    const facts = readManifestFacts(readRealManifest());
    expect(facts.webApplicationInfo).toBeUndefined();
    expect(readRealManifest()).not.toContain(DEV_CLIENT_ID);
    expect(facts.urls.filter((u) => u.url.startsWith(LOCAL_BASE_URL)).length).toBeGreaterThan(5);
  });

  it("rewrites every localhost URL onto the base URL", () => {
    const original = readManifestFacts(readRealManifest());
    const out = transformManifest(readRealManifest(), PROD);
    const facts = readManifestFacts(out);
    expect(out).not.toContain("localhost");
    expect(facts.urls.map((u) => u.where)).toEqual(original.urls.map((u) => u.where));
    expect(facts.icons.map((i) => i.url)).toContain(
      "https://outlook.septsoftware.com/addin/assets/icon-64.png",
    );
    expect(facts.buttons.every((b) => b.sourceLocation === `${PROD.baseUrl}taskpane.html`)).toBe(
      true,
    );
  });

  it("adds no WebApplicationInfo and no client id for the deployment", () => {
    const out = transformManifest(readRealManifest(), PROD);
    expect(readManifestFacts(out).webApplicationInfo).toBeUndefined();
    expect(out).not.toContain(DEV_CLIENT_ID);
  });

  it("sets the Version only when asked", () => {
    expect(readManifestFacts(transformManifest(readRealManifest(), PROD)).version).toBe("1.0.0.0");
    const bumped = transformManifest(readRealManifest(), { ...PROD, version: "1.4.2.0" });
    expect(readManifestFacts(bumped).version).toBe("1.4.2.0");
  });

  it("keeps the manifest valid against the schema and the semantic checks", () => {
    const out = transformManifest(readRealManifest(), { ...PROD, version: "2.0.0.1" });
    const check = schemaCheckXml(out);
    expect(check.detail).toMatch(/^valid/);
    expect(check.status).toBe("pass");
    expect(semanticChecks(out, ASSETS_DIR).filter((r) => r.status === "fail")).toEqual([]);
  });

  it("is the identity for the local defaults", () => {
    const xml = readRealManifest();
    expect(transformManifest(xml, { baseUrl: LOCAL_BASE_URL })).toBe(xml);
  });

  it("refuses a non-https base URL and a bad version", () => {
    const xml = readRealManifest();
    expect(() => transformManifest(xml, { ...PROD, baseUrl: "http://example.com" })).toThrow(
      /https/,
    );
    expect(() => transformManifest(xml, { ...PROD, version: "v2" })).toThrow(/version/);
  });
});
