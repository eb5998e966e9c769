// The hostile corpus (test/fixtures/hostile) through the Graph fake and the Graph mail source:
// every message is seeded (none skipped), its metadata reads without an untyped throw, its MIME
// comes back byte for byte, the Outlook view of it is plain data, and S/MIME/IRM are flagged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGraphMailSource } from "../../../src/adapters/graph/mail-source.js";
import { createRequestLimiter } from "../../../src/adapters/graph/request-limiter.js";
import { isSeptError } from "../../../src/core/errors.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import type { MailSourcePort, MessageMetadata } from "../../../src/core/ports/mail-source.js";
import { messageIds } from "../../../dev/graph-fake/mail-ids.js";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import {
  CASES,
  CORPUS_DIR,
  CORPUS_JSON,
  DUPLICATE_MESSAGE_ID,
  LONG_ASCII_SUBJECT,
  LONG_ATTACHMENT_NAME,
  LONG_SUBJECT,
  RTL_ATTACHMENT_NAME,
  RTL_SENDER_NAME,
  RTL_SUBJECT,
  TRAVERSAL_ATTACHMENT_NAME,
  fileNameOf,
  type CorpusEntry,
} from "../../fixtures/hostile/build-corpus.js";
import {
  startTestFake,
  trustCertificateGlobally,
  type TestFake,
} from "../../support/graph-fake.js";
import { sampleUserClient } from "../../support/sample-user.js";

const corpus = JSON.parse(readFileSync(join(CORPUS_DIR, CORPUS_JSON), "utf8")) as CorpusEntry[];
const rawOf = (file: string) => readFileSync(join(CORPUS_DIR, file));
const slugOf = (file: string) => file.replace(/^\d+-/, "").replace(/\.eml$/, "");
const protectionOf = new Map(CASES.map((c, i) => [fileNameOf(i, c.slug), c.protection]));

let t: TestFake;
let mail: MailSourcePort;
let views: OfficeItemView[];
let warnings: string[];

beforeAll(async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    t = await startTestFake({ seedDir: CORPUS_DIR });
  } finally {
    warnings = warn.mock.calls.map((args) => args.map(String).join(" "));
    warn.mockRestore();
  }
  trustCertificateGlobally(t.ca);
  const client = sampleUserClient(t.fake.graphBaseUrl, [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail]);
  mail = createGraphMailSource(client, createRequestLimiter(4));
  views = t.fake.mailbox();
});
afterAll(async () => {
  await t?.stop();
});

/** The fake derives ids from the file name, so each corpus file has a known REST id. */
function viewOf(file: string): OfficeItemView {
  const restId = messageIds(file).restId;
  const view = views.find((v) => v.restId === restId);
  if (!view) throw new Error(`${file} was not seeded`);
  return view;
}

function byFile(slug: string): { entry: CorpusEntry; view: OfficeItemView } {
  const entry = corpus.find((e) => slugOf(e.file) === slug);
  if (!entry) throw new Error(`no corpus entry ${slug}`);
  return { entry, view: viewOf(entry.file) };
}

async function metadataOrError(restId: string): Promise<MessageMetadata | Error> {
  return mail.getMetadata(restId).catch((e: unknown) => e as Error);
}

describe("seeding the Graph fake with the hostile corpus", () => {
  it("seeds every corpus file: none skipped, none crashed", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(warnings.filter((w) => /graph-fake/.test(w))).toEqual([]);
    expect(views).toHaveLength(corpus.length);
    const seeded = new Set(views.map((v) => v.restId));
    const missing = corpus.filter((e) => !seeded.has(messageIds(e.file).restId));
    expect(missing.map((e) => e.file)).toEqual([]);
  });

  it("keeps both messages that share a Message-ID, as two items", () => {
    const a = byFile("duplicate-message-id-a").view;
    const b = byFile("duplicate-message-id-b").view;
    expect(a.internetMessageId).toBe(DUPLICATE_MESSAGE_ID);
    expect(b.internetMessageId).toBe(DUPLICATE_MESSAGE_ID);
    expect(a.restId).not.toBe(b.restId);
    expect(a.immutableId).not.toBe(b.immutableId);
    expect(a.subject).not.toBe(b.subject);
  });

  it("gives a message without Message-ID a non-empty internetMessageId of its own", () => {
    const { view } = byFile("no-message-id");
    expect(view.internetMessageId).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
    const others = views.filter((v) => v.internetMessageId === view.internetMessageId);
    expect(others).toHaveLength(1);
  });
  it("serves every hostile message as Graph JSON, with its body and attachments", async () => {
    const list = await t.fetch("/me/messages?$top=1000");
    expect(list.status).toBe(200);
    const { value } = (await list.json()) as { value: Array<{ id: string; body: unknown }> };
    expect(value).toHaveLength(corpus.length);
    for (const m of value) expect(m.body).toMatchObject({ contentType: expect.any(String) });
    for (const entry of corpus) {
      const view = viewOf(entry.file);
      const res = await t.fetch(`/me/messages/${view.restId}/attachments`);
      expect(res.status, entry.file).toBe(200);
      const body = (await res.json()) as { value: unknown[] };
      expect(body.value, entry.file).toHaveLength(view.attachments.length);
    }
  });
});

describe("the mailbox view of each hostile message", () => {
  /** Only strings, finite numbers, booleans, arrays and plain objects: nothing renderable as markup. */
  function assertPlainData(value: unknown, path: string): void {
    if (typeof value === "string" || typeof value === "boolean") return;
    if (typeof value === "number") {
      expect(Number.isFinite(value), path).toBe(true);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => assertPlainData(v, `${path}[${i}]`));
      return;
    }
    expect(typeof value === "object" && value !== null, `${path} is ${typeof value}`).toBe(true);
    expect(Object.getPrototypeOf(value), `${path} is a plain object`).toBe(Object.prototype);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      assertPlainData(v, `${path}.${k}`);
    }
  }

  it.each(corpus.map((e) => [e.file]))("%s is plain, displayable data", (file) => {
    const view = viewOf(file);
    assertPlainData(view, file);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    // What the Outlook stand-in puts into textContent.
    for (const text of [view.subject, view.from.name, view.from.address, view.bodyPreview]) {
      expect(typeof text).toBe("string");
    }
    for (const a of view.attachments) {
      expect(typeof a.name).toBe("string");
      expect(a.name).not.toBe("");
      expect(Number.isInteger(a.size) && a.size >= 0).toBe(true);
    }
    // The stand-in formats this with new Date(…).toLocaleString().
    expect(Number.isNaN(new Date(view.receivedDateTime).getTime())).toBe(false);
    expect(view.size).toBe(rawOf(file).length);
  });

  it("is rendered by the Outlook stand-in with textContent only, never as markup", () => {
    const source = readFileSync(
      join(import.meta.dirname, "..", "..", "..", "dev", "outlook", "outlook.ts"),
      "utf8",
    );
    expect(source).toMatch(/\.textContent = m\.subject/);
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc/);
  });

  it.each(CASES.map((c, i) => [fileNameOf(i, c.slug), c.protection]))(
    "%s is flagged protection %s",
    (file, protection) => {
      expect(viewOf(file).protection).toBe(protection);
    },
  );

  it("flags exactly the S/MIME and IRM messages as protected", () => {
    const flagged = views.filter((v) => v.protection !== "none").map((v) => v.protection);
    expect(flagged.sort()).toEqual(["irm", "smime", "smime", "smime"]);
    for (const entry of corpus.filter((e) => e.expect === "refuse")) {
      expect(protectionOf.get(entry.file), entry.file).not.toBe("none");
      expect(viewOf(entry.file).protection).not.toBe("none");
    }
  });

  it("keeps hostile text as data, unchanged", () => {
    expect(byFile("subject-con").view.subject).toBe("CON");
    expect(byFile("subject-path-traversal").view.subject).toBe("../../etc/passwd");
    expect(byFile("subject-rtl-zero-width").view.subject).toBe(RTL_SUBJECT);
    expect(byFile("sender-rtl-zero-width").view.from.name).toBe(RTL_SENDER_NAME);
    expect(byFile("subject-1000-chars-encoded").view.subject).toBe(LONG_SUBJECT);
    expect(byFile("subject-1000-chars-raw-line").view.subject).toBe(LONG_ASCII_SUBJECT);
    expect(byFile("empty-subject-empty-body").view.subject).toBe("");
    expect(byFile("headers-only").view.subject).toBe("");
    const xss = byFile("xss-in-metadata").view;
    expect(xss.subject).toContain("<script>alert('subject')</script>");
    expect(xss.from.name).toBe("<svg/onload=alert('from')>");
    expect(xss.attachments.map((a) => a.name)).toEqual([
      "<img src=x onerror=alert('attachment')>.txt",
    ]);
  });

  it("lists hostile attachments with their names and sizes as sent", () => {
    expect(byFile("attachments-100").view.attachments).toHaveLength(100);
    const zero = byFile("attachment-zero-byte").view.attachments;
    expect(zero.map((a) => [a.name, a.size])).toEqual([
      ["empty.txt", 0],
      ["empty.bin", 0],
    ]);
    const traversal = byFile("attachment-name-traversal").view.attachments.map((a) => a.name);
    expect(traversal).toContain(TRAVERSAL_ATTACHMENT_NAME);
    expect(traversal).toContain("../../../etc/cron.d/evil");
    expect(byFile("attachment-name-rtl").view.attachments[0]?.name).toBe(RTL_ATTACHMENT_NAME);
    expect(byFile("attachment-name-very-long").view.attachments.map((a) => a.name.length)).toEqual([
      LONG_ATTACHMENT_NAME.length,
      1000,
    ]);
    const ids = byFile("attachments-100").view.attachments.map((a) => a.id);
    expect(new Set(ids).size).toBe(100);
  });
});

describe("the Graph mail source over the hostile corpus", () => {
  it.each(corpus.map((e) => [e.file]))("%s: metadata, or a typed SeptError", async (file) => {
    const view = viewOf(file);
    const result = await metadataOrError(view.restId);
    if (result instanceof Error) {
      expect(isSeptError(result), `${file}: ${String(result)}`).toBe(true);
      return;
    }
    expect(result.immutableId).toBe(view.immutableId);
    expect(result.internetMessageId).toBe(view.internetMessageId);
    expect(result.subject).toBe(view.subject);
    expect(result.conversationId).toBe(view.conversationId);
    expect(result.isDraft).toBe(false);
    if (view.from.name !== "" || view.from.address !== "") {
      expect(result.from).toEqual(view.from);
    }
    expect(result.to).toEqual(view.to);
  });

  it.each(corpus.map((e) => [e.file]))(
    "%s: getMime returns the file byte for byte",
    async (file) => {
      const view = viewOf(file);
      const bytes = await mail.getMime(view.restId);
      const expected = rawOf(file);
      expect(bytes.byteLength).toBe(expected.length);
      expect(Buffer.from(bytes).equals(expected)).toBe(true);
    },
  );

  it("reads every hostile message's metadata without any error at all", async () => {
    const failures: string[] = [];
    for (const entry of corpus) {
      const result = await metadataOrError(viewOf(entry.file).restId);
      if (result instanceof Error) failures.push(`${entry.file}: ${result.message}`);
    }
    expect(failures).toEqual([]);
  });

  it("carries 1,000-character, bidi and control-character subjects through Graph JSON intact", async () => {
    const long = await mail.getMetadata(byFile("subject-1000-chars-encoded").view.restId);
    expect(long.subject).toBe(LONG_SUBJECT);
    const rtl = await mail.getMetadata(byFile("subject-rtl-zero-width").view.restId);
    expect(rtl.subject).toBe(RTL_SUBJECT);
    const control = await mail.getMetadata(byFile("subject-control-chars").view.restId);
    expect(control.subject).toContain("\u0000");
    expect(control.subject).toContain("\r\nBcc:");
  });

  it("tells the two messages sharing a Message-ID apart by id and by content", async () => {
    const a = byFile("duplicate-message-id-a").view;
    const b = byFile("duplicate-message-id-b").view;
    const [ma, mb] = await Promise.all([mail.getMetadata(a.restId), mail.getMetadata(b.restId)]);
    expect(ma.internetMessageId).toBe(mb.internetMessageId);
    expect(ma.immutableId).not.toBe(mb.immutableId);
    const [ra, rb] = await Promise.all([mail.getMime(a.restId), mail.getMime(b.restId)]);
    expect(Buffer.from(ra).equals(Buffer.from(rb))).toBe(false);
  });
});
