import { describe, expect, it } from "vitest";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";

const t = useTestFake({ resetEachTest: false });

describe("a token Graph refuses", () => {
  it("is replaced by a fresh one and the request replayed once, so the save goes through", async () => {
    const pane = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });
    await pane.consent.grant(["email_metadata", "email_content"]);
    const message = t.fake.mailbox()[0]!;
    t.fake.clearRequests();
    t.fake.setFaults({ queue: [{ status: 401, match: "^GET /v1\\.0/me/messages/[^/]+$" }] });
    const result = await pane.save({
      restId: message.restId,
      projectId: "tower-b",
      includeContent: true,
    });
    expect(result.status).toBe("saved");
    const reads = t.fake
      .requests()
      .filter((r) => r.method === "GET" && /^\/v1\.0\/me\/messages\/[^/]+$/.test(r.path));
    expect(reads.map((r) => r.status)).toEqual([401, 200]);
  });

  it("still says sign-in is needed when the fresh token is refused too", async () => {
    const pane = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });
    await pane.consent.grant(["email_metadata"]);
    const message = t.fake.mailbox()[1]!;
    t.fake.setFaults({
      queue: [{ status: 401, match: "^GET /v1\\.0/me/messages/[^/]+$", times: 2 }],
    });
    const error = await pane
      .save({ restId: message.restId, projectId: "tower-b", includeContent: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "auth_required" });
    t.fake.setFaults({});
  });
});
