// Contract §1: messages, ids, Prefer, MIME, attachments, id translation, and the Office view.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LARGE_MESSAGE_ID } from "../../../dev/sample-mailbox/large-message.js";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { startTestFake } from "../../support/graph-fake.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { LONG_TEXT, PDF_BYTES, writeMailFixtures } from "./mail-fixtures.js";

let seed: { dir: string; raw: Record<string, Buffer> };
let views: OfficeItemView[];
const t = useTestFake(() => {
  seed = writeMailFixtures();
  return { seedDir: seed.dir, resetEachTest: false };
});

beforeAll(() => {
  views = t.fake.mailbox();
});
afterAll(() => {
  rmSync(seed.dir, { recursive: true, force: true });
});

function view(internetMessageId: string): OfficeItemView {
  const v = views.find((m) => m.internetMessageId === internetMessageId);
  if (!v) throw new Error(`fixture ${internetMessageId} not seeded`);
  return v;
}

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

type Msg = Record<string, unknown> & { id: string };

describe("mail ids", () => {
  it("gives Office an EWS id containing / or + and Graph the REST form", () => {
    for (const v of views) {
      expect(v.itemId).toMatch(/[/+]/);
      expect(v.restId).toBe(v.itemId.replace(/\//g, "-").replace(/\+/g, "_"));
      expect(v.immutableId).not.toBe(v.restId);
      expect(v.immutableId.startsWith("AAkALg")).toBe(true);
    }
  });

  it("answers 400 ErrorInvalidIdMalformed for an unconverted EWS id", async () => {
    const v = view("<root-001@contoso-build.example>");
    const res = await t.fetch(`/me/messages/${encodeURIComponent(v.itemId)}`);
    expect(res.status).toBe(400);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe(
      "ErrorInvalidIdMalformed",
    );
  });

  it("answers 404 ErrorItemNotFound for an unknown id, and ids are case-sensitive", async () => {
    const v = view("<root-001@contoso-build.example>");
    const unknown = await t.fetch(`/me/messages/AAMkAGUnknownMessageId000000=`);
    expect(unknown.status).toBe(404);
    expect((await json<{ error: { code: string } }>(unknown)).error.code).toBe("ErrorItemNotFound");
    const swapped = v.restId.replace(/[a-z]/, (c) => c.toUpperCase());
    expect(swapped).not.toBe(v.restId);
    expect((await t.fetch(`/me/messages/${swapped}`)).status).toBe(404);
  });

  it("finds a message by REST id and by immutable id", async () => {
    const v = view("<root-001@contoso-build.example>");
    const byRest = await json<Msg>(
      await t.fetch(`/me/messages/${v.restId}?$select=internetMessageId`),
    );
    expect(byRest.id).toBe(v.restId);
    expect(byRest.internetMessageId).toBe(v.internetMessageId);
    const byImm = await json<Msg>(await t.fetch(`/me/messages/${v.immutableId}?$select=subject`));
    expect(byImm.subject).toBe("Pour sequence for Level 6");
  });

  it('returns immutable ids with Prefer: IdType="ImmutableId" and echoes Preference-Applied', async () => {
    const v = view("<root-001@contoso-build.example>");
    const res = await t.fetch(`/me/messages/${v.restId}?$select=subject`, {
      headers: { Prefer: 'IdType="ImmutableId"' },
    });
    expect((await json<Msg>(res)).id).toBe(v.immutableId);
    expect(res.headers.get("preference-applied")).toBe('IdType="ImmutableId"');
    const plain = await t.fetch(`/me/messages/${v.restId}?$select=subject`);
    expect(plain.headers.get("preference-applied")).toBeNull();
    expect((await json<Msg>(plain)).id).toBe(v.restId);
  });

  it("translates EWS ids to immutable ids (translateExchangeIds) and caps inputIds at 1000", async () => {
    const v = view("<reply-002@contoso-build.example>");
    const res = await t.fetch("/me/translateExchangeIds", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        inputIds: [v.itemId],
        sourceIdType: "ewsId",
        targetIdType: "restImmutableEntryId",
      }),
    });
    expect(res.status).toBe(200);
    expect((await json<{ value: unknown[] }>(res)).value).toEqual([
      { sourceId: v.itemId, targetId: v.immutableId },
    ]);
    const tooMany = await t.fetch("/me/translateExchangeIds", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        inputIds: Array.from({ length: 1001 }, () => v.itemId),
        sourceIdType: "ewsId",
        targetIdType: "restImmutableEntryId",
      }),
    });
    expect(tooMany.status).toBe(400);
  });

  it("gives a reply thread one conversationId", () => {
    const root = view("<root-001@contoso-build.example>");
    const reply = view("<reply-002@contoso-build.example>");
    expect(reply.conversationId).toBe(root.conversationId);
    expect(view("<file-004@contoso-build.example>").conversationId).not.toBe(root.conversationId);
  });
});

describe("GET /me/messages/{id}", () => {
  it("returns @odata.context, @odata.etag, id and only the selected fields", async () => {
    const v = view("<root-001@contoso-build.example>");
    const m = await json<Msg>(await t.fetch(`/me/messages/${v.restId}?$select=subject,from`));
    expect(Object.keys(m).sort()).toEqual([
      "@odata.context",
      "@odata.etag",
      "from",
      "id",
      "subject",
    ]);
    expect(String(m["@odata.context"])).toContain("$metadata#users(");
  });

  it("rejects an unknown $select property with 400", async () => {
    const v = view("<root-001@contoso-build.example>");
    expect((await t.fetch(`/me/messages/${v.restId}?$select=subject,size`)).status).toBe(400);
  });

  it("returns the contract's message fields in Graph shapes", async () => {
    const v = view("<root-001@contoso-build.example>");
    const select =
      "internetMessageId,conversationId,subject,from,toRecipients,ccRecipients,receivedDateTime,sentDateTime,hasAttachments,bodyPreview,webLink,categories,body,isDraft";
    const m = await json<Msg>(await t.fetch(`/me/messages/${v.restId}?$select=${select}`));
    expect(m.from).toEqual({
      emailAddress: { name: "Dave Kowalski", address: "dave.kowalski@contoso-build.example" },
    });
    expect(m.toRecipients).toEqual([
      { emailAddress: { name: "Alex Martin", address: "alex.martin@contoso-build.example" } },
      { emailAddress: { name: "Jenna Liu", address: "jenna.liu@contoso-build.example" } },
    ]);
    expect(m.ccRecipients).toEqual([
      { emailAddress: { name: "Site Office", address: "site@contoso-build.example" } },
    ]);
    expect(m.receivedDateTime).toBe("2026-03-03T09:00:30Z");
    expect(m.sentDateTime).toBe("2026-03-03T08:59:00Z");
    expect(m.isDraft).toBe(false);
    expect(m.categories).toEqual([]);
    expect(m.conversationId).toBe(v.conversationId);
    expect(typeof m.webLink).toBe("string");
    expect(m.body).toEqual({ contentType: "text", content: expect.stringContaining("Line 40") });
  });

  it("caps bodyPreview at 255 characters of text", async () => {
    const v = view("<root-001@contoso-build.example>");
    const m = await json<Msg>(await t.fetch(`/me/messages/${v.restId}?$select=bodyPreview`));
    const preview = String(m.bodyPreview);
    expect(LONG_TEXT.length).toBeGreaterThan(255);
    expect(preview).toHaveLength(255);
    expect(preview.startsWith("Line 1 of the pour")).toBe(true);
  });

  it("says hasAttachments false when the only attachment is inline", async () => {
    const inline = await json<Msg>(
      await t.fetch(
        `/me/messages/${view("<inline-003@contoso-build.example>").restId}?$select=hasAttachments`,
      ),
    );
    expect(inline.hasAttachments).toBe(false);
    const file = await json<Msg>(
      await t.fetch(
        `/me/messages/${view("<file-004@contoso-build.example>").restId}?$select=hasAttachments`,
      ),
    );
    expect(file.hasAttachments).toBe(true);
  });

  it("serves safe HTML by default (no script, no event handlers)", async () => {
    const v = view("<inline-003@contoso-build.example>");
    const m = await json<{ body: { contentType: string; content: string } }>(
      await t.fetch(`/me/messages/${v.restId}?$select=body`),
    );
    expect(m.body.contentType).toBe("html");
    expect(m.body.content).toContain("<b>done</b>");
    expect(m.body.content).not.toMatch(/<script|onclick/i);
  });

  it('converts the body with Prefer: outlook.body-content-type="text" and echoes it', async () => {
    const v = view("<html-006@contoso-build.example>");
    const res = await t.fetch(`/me/messages/${v.restId}?$select=body`, {
      headers: { Prefer: 'outlook.body-content-type="text", IdType="ImmutableId"' },
    });
    const m = await json<{ id: string; body: { contentType: string; content: string } }>(res);
    expect(m.body.contentType).toBe("text");
    expect(m.body.content).toContain("All trades on schedule.");
    expect(m.body.content).not.toContain("<p>");
    expect(m.id).toBe(v.immutableId);
    const applied = res.headers.get("preference-applied") ?? "";
    expect(applied).toContain('outlook.body-content-type="text"');
    expect(applied).toContain('IdType="ImmutableId"');
  });

  it("converts a text body to HTML on request", async () => {
    const v = view("<reply-002@contoso-build.example>");
    const res = await t.fetch(`/me/messages/${v.restId}?$select=body`, {
      headers: { Prefer: 'outlook.body-content-type="html"' },
    });
    const m = await json<{ body: { contentType: string; content: string } }>(res);
    expect(m.body.contentType).toBe("html");
    expect(m.body.content).toContain("Agreed, go ahead.");
    expect(res.headers.get("preference-applied")).toBe('outlook.body-content-type="html"');
  });
});

describe("GET /me/messages", () => {
  it("lists newest first with $top and follows @odata.nextLink ($skip) to the end", async () => {
    const seen: string[] = [];
    let url: string | undefined =
      "/me/messages?$top=4&$select=subject,receivedDateTime&$orderby=receivedDateTime desc";
    let pages = 0;
    while (url) {
      const page: { value: Msg[]; "@odata.nextLink"?: string } = await json(await t.fetch(url));
      expect(page.value.length).toBeLessThanOrEqual(4);
      seen.push(...page.value.map((m) => String(m.receivedDateTime)));
      url = page["@odata.nextLink"];
      if (url) expect(url).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/me\/messages\?.*skip=4(&|$)/);
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(views.length);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it("serves the inbox folder's messages too", async () => {
    const page = await json<{ value: Msg[] }>(
      await t.fetch("/me/mailFolders/inbox/messages?$top=100&$select=id"),
    );
    expect(page.value).toHaveLength(views.length);
  });

  it("finds a message by internetMessageId with $filter", async () => {
    const filter = encodeURIComponent("internetMessageId eq '<file-004@contoso-build.example>'");
    const page = await json<{ value: Msg[] }>(
      await t.fetch(`/me/messages?$filter=${filter}&$select=subject`),
    );
    expect(page.value.map((m) => m.subject)).toEqual(["Drawing attached"]);
  });
});

describe("MIME and attachments", () => {
  it("returns the exact .eml bytes as text/plain with Content-Length from /$value", async () => {
    const v = view("<file-004@contoso-build.example>");
    const res = await t.fetch(`/me/messages/${v.restId}/$value`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const raw = seed.raw["d-file-attachment.eml"]!;
    expect(res.headers.get("content-length")).toBe(String(raw.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(raw)).toBe(true);
  });

  it("lists attachments with $select as fileAttachment entries", async () => {
    const v = view("<file-004@contoso-build.example>");
    const res = await t.fetch(
      `/me/messages/${v.restId}/attachments?$select=id,name,contentType,size,isInline`,
    );
    const { value } = await json<{ value: Array<Record<string, unknown>> }>(res);
    expect(value).toEqual([
      {
        "@odata.type": "#microsoft.graph.fileAttachment",
        id: expect.any(String),
        name: "S-301 drawing.pdf",
        contentType: "application/pdf",
        size: PDF_BYTES.length,
        isInline: false,
      },
    ]);
  });

  it("returns contentBytes (base64) for one file attachment and raw bytes from its /$value", async () => {
    const v = view("<file-004@contoso-build.example>");
    const list = await json<{ value: Array<{ id: string }> }>(
      await t.fetch(`/me/messages/${v.restId}/attachments?$select=id`),
    );
    const aid = list.value[0]!.id;
    const one = await json<{ contentBytes: string }>(
      await t.fetch(`/me/messages/${v.restId}/attachments/${aid}`),
    );
    expect(Buffer.from(one.contentBytes, "base64").equals(PDF_BYTES)).toBe(true);
    const raw = await t.fetch(`/me/messages/${v.restId}/attachments/${aid}/$value`);
    expect(Buffer.from(await raw.arrayBuffer()).equals(PDF_BYTES)).toBe(true);
  });

  it("marks inline attachments isInline in Graph and in the Office view", async () => {
    const v = view("<inline-003@contoso-build.example>");
    expect(v.attachments).toEqual([expect.objectContaining({ name: "deck.png", isInline: true })]);
    expect(v.hasAttachments).toBe(false);
    const { value } = await json<{ value: Array<{ isInline: boolean }> }>(
      await t.fetch(`/me/messages/${v.restId}/attachments?$select=isInline`),
    );
    expect(value.map((a) => a.isInline)).toEqual([true]);
  });
});

describe("Office view and protection", () => {
  it("describes each message as Office.js would", () => {
    const v = view("<root-001@contoso-build.example>");
    expect(v).toMatchObject({
      subject: "Pour sequence for Level 6",
      from: { name: "Dave Kowalski", address: "dave.kowalski@contoso-build.example" },
      cc: [{ name: "Site Office", address: "site@contoso-build.example" }],
      receivedDateTime: "2026-03-03T09:00:30Z",
      size: seed.raw["a-thread-root.eml"]!.length,
      protection: "none",
      hasAttachments: false,
    });
    expect(v.to).toHaveLength(2);
  });

  it("flags S/MIME messages from their Content-Type", () => {
    expect(view("<smime-005@contoso-build.example>").protection).toBe("smime");
  });

  it("serves the same view from GET /_fake/mailbox without auth", async () => {
    const res = await t.fetch("/_fake/mailbox", { auth: false });
    expect(await res.json()).toEqual(views);
  });
});

describe("large MIME", () => {
  it("seeds a generated message over 4 MB and serves it whole", async () => {
    const big = await startTestFake({ seedDir: seed.dir, seedLarge: true });
    try {
      const v = big.fake.mailbox().find((m) => m.internetMessageId === LARGE_MESSAGE_ID);
      expect(v).toBeDefined();
      expect(v!.size).toBeGreaterThan(4 * 1024 * 1024);
      expect(v!.hasAttachments).toBe(true);
      const res = await big.fetch(`/me/messages/${v!.restId}/$value`);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(v!.size);
    } finally {
      await big.stop();
    }
  });

  it("answers 504 gatewayTimeout for $value above mimeSizeLimitBytes", async () => {
    const v = view("<file-004@contoso-build.example>");
    t.fake.setFaults({ mimeSizeLimitBytes: 100 });
    try {
      const res = await t.fetch(`/me/messages/${v.restId}/$value`);
      expect(res.status).toBe(504);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("gatewayTimeout");
      expect((await t.fetch(`/me/messages/${v.restId}?$select=id`)).status).toBe(200);
    } finally {
      t.fake.setFaults({});
    }
  });
});
