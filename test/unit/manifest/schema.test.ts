// @vitest-environment node
import { describe, expect, it } from "vitest";
import { schemaCheck } from "../../../scripts/validate-manifest.js";
import {
  MANIFEST_PATH,
  readRealManifest,
  replaceOnce,
  requireSchemaTools,
  requireSchemas,
  schemaCheckXml,
} from "./schema-tools.js";

const V1_0_TASKPANE_ACTION_END = `<SourceLocation resid="Taskpane.Url" />
                  </Action>`;

describe("manifest schema check (xmllint + Microsoft's XSDs)", () => {
  it("accepts the real manifest", () => {
    requireSchemaTools();
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

  it("fails with the install command when xmllint is missing", () => {
    requireSchemas(); // without them the check never reaches xmllint
    const check = schemaCheck(MANIFEST_PATH, { xmllint: "/nonexistent/xmllint" });
    expect(check.status).toBe("fail");
    expect(check.detail).toContain("apt-get install -y libxml2-utils");
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
