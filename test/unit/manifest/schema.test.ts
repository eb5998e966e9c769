// @vitest-environment node
import { describe, expect, it } from "vitest";
import { schemaCheck } from "../../../scripts/validate-manifest.js";
import {
  MANIFEST_PATH,
  readRealManifest,
  replaceOnce,
  requireSchemas,
  schemaCheckXml,
} from "./schema-tools.js";

const V1_0_TASKPANE_ACTION_END = `<SourceLocation resid="Taskpane.Url" />
                  </Action>`;

describe("manifest schema check (libxml2 in-process + Microsoft's XSDs)", () => {
  it("accepts the real manifest", () => {
    requireSchemas();
    const check = schemaCheck(MANIFEST_PATH, { env: { ...process.env, CI: "true" } });
    expect(check.detail).toMatch(/^valid/);
    expect(check.status).toBe("pass");
  });

  it("rejects Permissions moved before DisplayName (element order matters)", () => {
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
    const check = schemaCheckXml(misplaced);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/Permissions/);
  });

  it("rejects SupportsPinning inside a VersionOverridesV1_0 action", () => {
    const xml = replaceOnce(
      readRealManifest(),
      V1_0_TASKPANE_ACTION_END,
      `<SourceLocation resid="Taskpane.Url" />
                    <SupportsPinning>true</SupportsPinning>
                  </Action>`,
    );
    const check = schemaCheckXml(xml);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/SupportsPinning/);
  });

  it("rejects an element the schema does not know", () => {
    const xml = replaceOnce(
      readRealManifest(),
      "<DisableEntityHighlighting>true</DisableEntityHighlighting>",
      "<DisableEntityHighlighting>true</DisableEntityHighlighting>\n  <Telemetry>on</Telemetry>",
    );
    const check = schemaCheckXml(xml);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/Telemetry.*not expected/);
  });

  it("rejects a Permissions value outside the enumeration", () => {
    const xml = replaceOnce(readRealManifest(), ">ReadItem<", ">Everything<");
    const check = schemaCheckXml(xml);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/Permissions/);
  });

  it("rejects a manifest that is not well-formed XML", () => {
    const check = schemaCheckXml(
      replaceOnce(readRealManifest(), "</Permissions>", "</Permission>"),
    );
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/Permission/);
  });

  it("names the line of each problem", () => {
    const xml = replaceOnce(readRealManifest(), ">ReadItem<", ">Everything<");
    const line = xml.split("\n").findIndex((text) => text.includes(">Everything<")) + 1;
    const check = schemaCheckXml(xml);
    expect(check.detail).toContain(`manifest.xml:${line}:`);
  });

  it("fails on CI but only warns locally when the schemas are absent", () => {
    const absent = { schemasDir: "/nonexistent/office-manifest-schemas" };
    const onCi = schemaCheck(MANIFEST_PATH, { ...absent, env: { CI: "true" } });
    const local = schemaCheck(MANIFEST_PATH, { ...absent, env: {} });
    expect(onCi.status).toBe("fail");
    expect(local.status).toBe("warn");
    expect(local.detail).toMatch(/skipped/);
  });
});
