// @vitest-environment node
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { officeAddinInfoCheck } from "../../../scripts/validate-manifest.js";
import { MANIFEST_PATH } from "./schema-tools.js";

// Each check starts the office-addin-manifest CLI: seconds on a busy machine.
describe("office-addin-manifest info", { timeout: 60_000 }, () => {
  it("parses the manifest as a MailApp", () => {
    const check = officeAddinInfoCheck(MANIFEST_PATH);
    expect(check.detail).toBe("parsed (MailApp)");
    expect(check.status).toBe("pass");
  });

  it("fails on a manifest it cannot parse", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sept-manifest-")), "manifest.xml");
    writeFileSync(path, "<OfficeApp>");
    expect(officeAddinInfoCheck(path).status).toBe("fail");
  });
});
