// The organisation's policy holds in the services, whatever the pane does: in a metadata-only
// organisation no request moves email content even when the save service is called directly, and
// a pane with no policy file at all takes the protective reading (metadata only).
import { beforeAll, describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import { defaultOrgPolicy } from "../../../src/core/org-policy.js";
import { bulkSave } from "../../../src/services/save/bulk-save.js";
import { loadOrgPolicy, type LoadedOrgPolicy } from "../../../src/services/consent/org-policy.js";
import { saveEmail } from "../../../src/services/save/save-email.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack, POLICY_V1 } from "../../support/pane-stack.js";

const t = useTestFake();
let restIds: string[];

beforeAll(() => {
  restIds = t.fake.mailbox().map((m) => m.restId);
});

const DEFAULTS = defaultOrgPolicy({
  privacyPolicyUrl: "https://septsoftware.com/privacy-policy",
  privacyPolicyVersion: POLICY_V1,
});
const served =
  (status: number, body = "") =>
  async () => ({
    ok: status >= 200 && status < 300,
    status,
    text: async () => body,
  });
const load = (status: number, body?: string): Promise<LoadedOrgPolicy> =>
  loadOrgPolicy(served(status, body), "https://addin.example/org-policy.json", {
    defaults: DEFAULTS,
  });
const contentRequests = () =>
  t.fake
    .requests()
    .filter(
      (r) =>
        carriesEmailData(r) &&
        (r.path.endsWith("/$value") || /\.eml/.test(decodeURIComponent(r.path))),
    );

describe.each([
  ["an admin's metadata-only file", () => load(200, '{"allowContent": false}')],
  ["no policy file at all", () => load(404)],
])("a metadata-only organisation (%s)", (_label, org) => {
  it("refuses content in the save service itself, before any request", async () => {
    const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, org: await org() });
    expect(p.consent.offeredPurposes()).toEqual(["email_metadata"]);
    // The form cannot offer content, and the service will not record it either.
    const grantError = await p.consent
      .grant(["email_metadata", "email_content"])
      .catch((e: unknown) => e);
    expect((grantError as SeptError).code).toBe("content_not_allowed");
    await p.consent.grant(["email_metadata"]);
    t.fake.clearRequests();
    // Called directly, as a careless caller would: a typed error and no request at all.
    const error = await saveEmail(p.saveDeps, {
      restId: restIds[0]!,
      projectId: "tower-b",
      includeContent: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe("content_not_allowed");
    expect(t.fake.requests()).toEqual([]);
    const bulkError = await bulkSave(
      p.saveDeps,
      restIds.slice(0, 3).map((restId) => ({ restId })),
      "tower-b",
      true,
    ).catch((e: unknown) => e);
    expect((bulkError as SeptError).code).toBe("content_not_allowed");
    expect(t.fake.requests()).toEqual([]);
    // Metadata still saves, and moves no content.
    const saved = await p.save({
      restId: restIds[0]!,
      projectId: "tower-b",
      includeContent: false,
    });
    expect(saved.status).toBe("saved");
    expect(contentRequests()).toEqual([]);
  });

  it("refuses content even under a grant given while content was allowed", async () => {
    await createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl }).consent.grant([
      "email_metadata",
      "email_content",
    ]);
    const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, org: await org() });
    await p.consent.refresh();
    t.fake.clearRequests();
    const error = await p
      .save({ restId: restIds[1]!, projectId: "tower-b", includeContent: true })
      .catch((e: unknown) => e);
    expect((error as SeptError).code).toBe("content_not_allowed");
    expect(t.fake.requests()).toEqual([]);
  });
});
