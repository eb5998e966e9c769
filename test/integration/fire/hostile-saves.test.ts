// Every message of the hostile corpus saved through the real pipeline (content consent, Graph
// client, app-folder storage): either saved — the stored .eml is byte-identical to the corpus
// file and the record's subject and sender parse back equal to what mailparser reads from it — or
// refused with the corpus's refuseCode. Never an untyped error. Also: a 151 MB message is refused
// too_large without its body being downloaded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { messageIds } from "../../../dev/graph-fake/mail-ids.js";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoredEmailRecord } from "../../../src/core/stored-email.js";
import type { SaveEmailResult } from "../../../src/services/save/save-email.js";
import { translate } from "../../../src/core/i18n/index.js";
import {
  CORPUS_DIR,
  CORPUS_JSON,
  buildOverLimitMessage,
  type CorpusEntry,
} from "../../fixtures/hostile/build-corpus.js";
import {
  startTestFake,
  trustCertificateGlobally,
  type TestFake,
} from "../../support/graph-fake.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { expectConsistent, storedState } from "../save/save-fixtures.js";

const corpus = JSON.parse(readFileSync(join(CORPUS_DIR, CORPUS_JSON), "utf8")) as CorpusEntry[];

let t: TestFake;
let views: OfficeItemView[];

beforeAll(async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    t = await startTestFake({ seedDir: CORPUS_DIR });
  } finally {
    warn.mockRestore();
  }
  trustCertificateGlobally(t.ca);
  views = t.fake.mailbox();
});
afterAll(async () => {
  await t?.stop();
});

const pane = (graphBaseUrl: string) =>
  createPaneStack({
    graphBaseUrl,
    graphRetry: { delaySeconds: 0, maxRetries: 2 },
    save: { stepRetry: { retries: 1, delayMs: 20 } },
  });

function viewOf(file: string): OfficeItemView {
  const restId = messageIds(file).restId;
  const view = views.find((v) => v.restId === restId);
  if (!view) throw new Error(`${file} was not seeded`);
  return view;
}

describe("the hostile corpus through the save pipeline", () => {
  it("saves each message byte for byte or refuses it with its code", async () => {
    const p = pane(t.fake.graphBaseUrl);
    await p.consent.grant(["email_metadata", "email_content"]);
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    const savedIds: string[] = [];
    for (const [n, entry] of corpus.entries()) {
      const view = viewOf(entry.file);
      const raw = readFileSync(join(CORPUS_DIR, entry.file));
      // One project per message: the duplicate Message-ID pair must not collide either way.
      const outcome: SaveEmailResult | Error = await p
        .save({ restId: view.restId, projectId: `hostile-${n}`, includeContent: true })
        .then(
          (r) => r,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
      if (entry.expect === "refuse") {
        expect(outcome, entry.file).toBeInstanceOf(SeptError);
        const error = outcome as SeptError;
        expect(error.code, entry.file).toBe(entry.refuseCode);
        expect(translate("fr", error.messageKey, error.params)).not.toBe(error.messageKey);
        continue;
      }
      if (outcome instanceof Error) {
        throw new Error(`${entry.file}: expected a save, got ${String(outcome)}`);
      }
      expect(outcome.status, entry.file).toBe("saved");
      savedIds.push(outcome.savedId);
      const stored = Buffer.from(await p.storage.read(`emails/${outcome.savedId}.eml`));
      expect(stored.equals(raw), `${entry.file}: stored .eml differs`).toBe(true);
      // The record as stored in its month's shard, read by a pane that holds nothing.
      const record = (await createEmailIndex(p.storage).records()).find(
        (r) => r.savedId === outcome.savedId,
      ) as StoredEmailRecord;
      const parsed = await simpleParser(raw);
      expect(record.message.subject, entry.file).toBe(parsed.subject ?? "");
      const sender = parsed.from?.value[0];
      if (sender?.address) {
        expect(record.message.from?.address.toLowerCase(), entry.file).toBe(
          sender.address.toLowerCase(),
        );
      }
      if (record.content.stored) expect(record.content.sizeBytes).toBe(raw.length);
    }
    expect(savedIds.length).toBe(corpus.filter((e) => e.expect === "save").length);
    // Refusals left nothing behind.
    const state = await storedState(p);
    expectConsistent(state);
    expect(state.records).toEqual([...savedIds].sort());
  }, 60_000);
});

describe("a message over the 150 MB limit", () => {
  let big: TestFake;
  let seedDir: string;
  beforeAll(async () => {
    seedDir = mkdtempSync(join(tmpdir(), "sept-over-limit-"));
    writeFileSync(join(seedDir, "01-over-limit.eml"), buildOverLimitMessage());
    big = await startTestFake({ seedDir });
  }, 120_000);
  afterAll(async () => {
    await big?.stop();
    rmSync(seedDir, { recursive: true, force: true });
  });

  it("is refused too_large without its body being downloaded", async () => {
    const p = pane(big.fake.graphBaseUrl);
    await p.consent.grant(["email_metadata", "email_content"]);
    const [view] = big.fake.mailbox();
    expect(view!.size).toBeGreaterThan(150 * 1024 * 1024);
    big.fake.clearRequests();
    // Count the bytes of `$value` bodies the pane actually reads (the fake logs what it would send).
    const realFetch = globalThis.fetch;
    const mimeReads: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const response = await realFetch(input, init);
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (!url.includes("/$value") || !response.body) return response;
      const at = mimeReads.push(0) - 1;
      const body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            mimeReads[at]! += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
    globalThis.fetch = counting;
    const error = await p
      .save({ restId: view!.restId, projectId: "too-big", includeContent: true })
      .then(
        () => null,
        (e: unknown) => e,
      )
      .finally(() => {
        globalThis.fetch = realFetch;
      });
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe("too_large");
    // The mail source asked for the MIME once and stopped at its Content-Length: (almost) no body
    // bytes were read.
    expect(mimeReads.length).toBe(1);
    expect(mimeReads[0]!).toBeLessThan(1024 * 1024);
    const log = big.fake.requests();
    expect(log.filter((r) => r.path.endsWith("/$value"))).toHaveLength(1);
    // Nothing was uploaded.
    expect(log.filter((r) => r.path.includes("/_upload/"))).toEqual([]);
    const state = await storedState(p);
    expect(state.records).toEqual([]);
    expect(state.contents).toEqual([]);
  }, 60_000);
});
