// The Graph mail source against the fake's sample mailbox: metadata with immutable ids and
// parsed addresses, the raw MIME byte for byte, and the id errors Outlook ids can cause.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDevTokenProvider } from "../../src/adapters/auth/dev-token-provider.js";
import { createGraphClient } from "../../src/adapters/graph/graph-client.js";
import { createGraphMailSource } from "../../src/adapters/graph/mail-source.js";
import { createRequestLimiter } from "../../src/adapters/graph/request-limiter.js";
import { GRAPH_SCOPES } from "../../src/core/ports/auth.js";
import type { MailSourcePort } from "../../src/core/ports/mail-source.js";
import type { OfficeItemView } from "../../dev/graph-fake/types.js";
import { useTestFake } from "../support/use-test-fake.js";
import { sampleUserClient } from "../support/sample-user.js";

const SAMPLE_DIR = join(import.meta.dirname, "..", "..", "dev", "sample-mailbox");

/** The sample .eml files by Message-ID, read straight from disk (not through the fake). */
const emlByMessageId = new Map<string, Buffer>();
for (const name of readdirSync(SAMPLE_DIR).filter((n) => n.endsWith(".eml"))) {
  const raw = readFileSync(join(SAMPLE_DIR, name));
  const id = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString("latin1"))?.[1];
  if (id) emlByMessageId.set(id, raw);
}

const t = useTestFake({ resetEachTest: false });
let mail: MailSourcePort;
let views: OfficeItemView[];

beforeAll(() => {
  const client = sampleUserClient(t.fake.graphBaseUrl, [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail]);
  mail = createGraphMailSource(client, createRequestLimiter(4));
  views = t.fake.mailbox();
});
beforeEach(() => {
  t.fake.clearRequests();
  t.fake.setFaults({});
});

function sample(subjectPart: string): OfficeItemView {
  const view = views.find((v) => v.subject.includes(subjectPart));
  if (!view) throw new Error(`No sample message about ${subjectPart}`);
  return view;
}

describe("getMetadata", () => {
  it("returns the immutable id and the parsed addresses of a message", async () => {
    const view = sample("NW-26-1142");

    const meta = await mail.getMetadata(view.restId);

    expect(meta.immutableId).toBe(view.immutableId);
    expect(meta.immutableId).not.toBe(view.restId);
    expect(meta.internetMessageId).toBe("<YT1PR01MB4417E6A2C0B1D9F357@northwind-steel.example>");
    expect(meta.conversationId).toBe(view.conversationId);
    expect(meta.subject).toBe(view.subject);
    expect(meta.from).toEqual({
      name: "Marco Bellini",
      address: "marco.bellini@northwind-steel.example",
    });
    expect(meta.to).toEqual(view.to);
    expect(meta.cc).toContainEqual({
      name: "Jenna Liu",
      address: "jenna.liu@contoso-build.example",
    });
    expect(meta.receivedDateTime).toBe(view.receivedDateTime);
    expect(meta.sentDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.hasAttachments).toBe(true);
    expect(meta.isDraft).toBe(false);

    const [request] = t.fake.requests();
    expect(request?.headers.prefer).toBe('IdType="ImmutableId"');
    expect(new URLSearchParams(request?.query).get("$select")?.split(",")).toContain("isDraft");
  });

  it("accepts an immutable id as well as a REST id", async () => {
    const view = sample("Level 4");
    expect((await mail.getMetadata(view.immutableId)).immutableId).toBe(view.immutableId);
  });

  it("says false, not true, for a message whose only attachment is inline", async () => {
    const view = sample("Level 4");
    expect((await mail.getMetadata(view.restId)).hasAttachments).toBe(false);
  });

  it("refuses an EWS id that was never converted to REST with bad_request", async () => {
    const view = sample("NW-26-1142");
    expect(view.itemId).toMatch(/[/+]/);
    const error = await mail.getMetadata(view.itemId).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "bad_request",
      params: { status: 400, graphCode: "ErrorInvalidIdMalformed" },
    });
  });

  it("reports an unknown message as not_found", async () => {
    const error = await mail.getMetadata("AAkALgAAunknownmessage0000").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "not_found", params: { graphCode: "ErrorItemNotFound" } });
  });

  it("refuses an empty id without asking Graph", async () => {
    await expect(mail.getMetadata("")).rejects.toMatchObject({ code: "bad_request" });
    expect(t.fake.requests()).toHaveLength(0);
  });
});

describe("getMime", () => {
  it("returns every sample message byte for byte as the .eml file on disk", async () => {
    expect(views.length).toBe(emlByMessageId.size);
    for (const view of views) {
      const expected = emlByMessageId.get(view.internetMessageId);
      expect(expected, view.internetMessageId).toBeDefined();
      const bytes = await mail.getMime(view.restId);
      expect(Buffer.from(bytes).equals(expected ?? Buffer.alloc(0)), view.subject).toBe(true);
    }
    expect(t.fake.requests().every((r) => r.path.endsWith("/$value"))).toBe(true);
  });

  it("keeps the Graph error code of a failed MIME read", async () => {
    const view = sample("NW-26-1142");
    await expect(mail.getMime(view.itemId)).rejects.toMatchObject({
      code: "bad_request",
      params: { graphCode: "ErrorInvalidIdMalformed" },
    });
    await expect(mail.getMime("AAkALgAAunknownmessage0000")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("maps a gateway timeout on a too-large MIME read to a retryable timeout", async () => {
    const view = sample("NW-26-1142");
    t.fake.setFaults({ mimeSizeLimitBytes: 10 });
    const retryFree = createGraphMailSource(
      createGraphClient({
        graphBaseUrl: t.fake.graphBaseUrl,
        auth: createDevTokenProvider({ id: "alex-martin", username: "a@b.example", name: "A" }),
        scopes: [GRAPH_SCOPES.mail],
        retry: { delaySeconds: 0, maxRetries: 0 },
      }),
    );
    await expect(retryFree.getMime(view.restId)).rejects.toMatchObject({
      code: "timeout",
      retryable: true,
    });
  });

  it("is cancelled by its signal", async () => {
    const view = sample("NW-26-1142");
    await expect(mail.getMime(view.restId, AbortSignal.abort())).rejects.toMatchObject({
      code: "cancelled",
    });
    expect(t.fake.requests()).toHaveLength(0);
  });
});
