// A build for a new privacy-policy version (`PRIVACY_POLICY_VERSION=2026-12-01 npm start`) asks
// everyone again, with the list of changes kept in core's policy history, whatever org file the
// host serves: the shipped example, an old file pinning 2024-02-14, or none at all.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBuildConfig } from "../../../scripts/build-config.js";
import { currentPolicy, POLICY_HISTORY } from "../../../src/core/consent/policy.js";
import { defaultOrgPolicy } from "../../../src/core/org-policy.js";
import { loadOrgPolicy } from "../../../src/services/consent/org-policy.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const EXAMPLE = readFileSync(join(ROOT, "config", "org-policy.example.json"), "utf8");
// The file earlier builds shipped (and hosts may still serve): it pinned the old version.
const OLD_SHIPPED = JSON.stringify({ allowContent: true, requiredPolicyVersion: "2024-02-14" });

const t = useTestFake({ resetEachTest: false });

const served =
  (status: number, body = "") =>
  async () => ({
    ok: status >= 200 && status < 300,
    status,
    text: async () => body,
  });

describe("a build for privacy policy 2026-12-01", () => {
  it.each([
    ["the shipped example file", 200, EXAMPLE],
    ["an old file pinning 2024-02-14", 200, OLD_SHIPPED],
    ["no file", 404, ""],
  ])(
    "asks users who consented to 2024-02-14 again, with the changes (%s)",
    async (_l, status, body) => {
      const build = readBuildConfig({ PRIVACY_POLICY_VERSION: "2026-12-01" }, true);
      const org = await loadOrgPolicy(
        served(status, body),
        `${build.addinBaseUrl}/org-policy.json`,
        {
          defaults: defaultOrgPolicy(build),
        },
      );
      // As composition.ts computes the policy in force.
      const policy = currentPolicy(org.policy.requiredPolicyVersion, org.policy.privacyPolicyUrl);
      expect(policy.version).toBe("2026-12-01");
      expect(policy.changes).toEqual(
        POLICY_HISTORY.find((p) => p.version === "2026-12-01")?.changes,
      );
      expect(policy.changes.length).toBeGreaterThan(0);

      await t.fake.reset();
      await createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl }).consent.grant([
        "email_metadata",
      ]);
      const pane = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, policy, org });
      const state = await pane.consent.refresh();
      expect(state.status).toBe("outdated");
      const refused = await pane.consent.guard(["email_metadata"]).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: "consent_required", reason: "outdated" });
    },
  );
});
