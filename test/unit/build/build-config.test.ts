import { describe, expect, it } from "vitest";
import { manifestVersion, orgPolicyUrl } from "../../../scripts/build-config.js";
import { checkOrgPolicyText } from "../../../scripts/check-org-policy.js";
import { defaultOrgPolicy } from "../../../src/core/org-policy.js";

describe("build configuration", () => {
  it("derives the manifest Version from the package version", () => {
    expect(manifestVersion("0.1.0")).toBe("0.1.0.0");
    expect(manifestVersion("1.4.2")).toBe("1.4.2.0");
    expect(manifestVersion("2.0.0-beta.3")).toBe("2.0.0.0");
    expect(() => manifestVersion("1.2")).toThrow(/1\.2\.3/);
    expect(() => manifestVersion("123456.0.0")).toThrow();
  });

  it("serves the org policy beside the pages", () => {
    expect(orgPolicyUrl("https://addin.contoso.example/sept/")).toBe(
      "https://addin.contoso.example/sept/org-policy.json",
    );
  });

  it("checks an admin's policy file the way the pane will", () => {
    const defaults = defaultOrgPolicy({
      privacyPolicyUrl: "https://x.example/p",
      privacyPolicyVersion: "1",
    });
    expect(checkOrgPolicyText('{"allowContent": false}', defaults).policy?.allowContent).toBe(
      false,
    );
    const bad = checkOrgPolicyText('{"storage": {"kind": "sharePoint"}}', defaults);
    expect(bad.policy).toBeNull();
    expect(bad.problems).toEqual([
      "storage.driveId must be a SharePoint drive id (letters, digits, !, _ and -), as Graph returns it.",
    ]);
    expect(checkOrgPolicyText("{", defaults).problems[0]).toMatch(/^not valid JSON/);
  });
});
