// The hostile corpus itself: listed completely in corpus.json, every file parses leniently, the
// committed files are what the generator writes, the generator is deterministic, and the
// messages built on demand have the sizes issue 7 asks for.
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, describe, expect, it } from "vitest";
import {
  CASES,
  CORPUS_DIR,
  CORPUS_JSON,
  HUGE_MESSAGE_BYTES,
  HUGE_MESSAGE_ID,
  ON_DEMAND_CASES,
  OVER_LIMIT_MESSAGE_ID,
  SIZE_LIMIT_BYTES,
  buildCorpus,
  buildHugeMessage,
  buildOverLimitMessage,
  type CorpusEntry,
} from "../../fixtures/hostile/build-corpus.js";

const corpus = JSON.parse(readFileSync(join(CORPUS_DIR, CORPUS_JSON), "utf8")) as CorpusEntry[];
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sept-hostile-corpus-"));
  temps.push(dir);
  return dir;
}

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".eml") || name === CORPUS_JSON) out.set(name, readFileSync(join(dir, name)));
  }
  return out;
}

function corpusFile(slug: string): Buffer {
  const entry = corpus.find((e) => e.file.endsWith(`-${slug}.eml`));
  if (!entry) throw new Error(`no corpus entry ${slug}`);
  return readFileSync(join(CORPUS_DIR, entry.file));
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("corpus.json", () => {
  it("lists at least 30 messages, one per case, with the documented fields", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(corpus).toHaveLength(CASES.length);
    for (const entry of corpus) {
      expect(Object.keys(entry).sort(), entry.file).toEqual(
        entry.expect === "refuse"
          ? ["expect", "file", "notes", "refuseCode", "title"]
          : ["expect", "file", "notes", "title"],
      );
      expect(entry.file).toMatch(/^\d{2}-[a-z0-9-]+\.eml$/);
      expect(entry.title.length).toBeGreaterThan(0);
      expect(entry.notes.length).toBeGreaterThan(0);
      expect(["save", "refuse"]).toContain(entry.expect);
    }
    expect(new Set(corpus.map((e) => e.file)).size).toBe(corpus.length);
  });

  it("refuses exactly the encrypted S/MIME and IRM messages, each with its own code", () => {
    const refused = corpus.filter((e) => e.expect === "refuse");
    expect(refused.map((e) => [e.file.replace(/^\d+-/, ""), e.refuseCode])).toEqual([
      ["smime-encrypted.eml", "encrypted_message"],
      ["smime-encrypted-x-pkcs7.eml", "encrypted_message"],
      ["irm-protected.eml", "rights_protected"],
    ]);
  });

  it("names only files that exist, and every .eml in the folder is listed", () => {
    for (const entry of corpus)
      expect(existsSync(join(CORPUS_DIR, entry.file)), entry.file).toBe(true);
    const onDisk = readdirSync(CORPUS_DIR).filter((n) => n.toLowerCase().endsWith(".eml"));
    expect(onDisk.sort()).toEqual(corpus.map((e) => e.file).sort());
  });

  it("keeps the committed folder under 3 MB", () => {
    const total = readdirSync(CORPUS_DIR).reduce(
      (sum, name) => sum + statSync(join(CORPUS_DIR, name)).size,
      0,
    );
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });
});

describe("every corpus message", () => {
  it.each(corpus.map((e) => [e.file]))(
    "%s parses with mailparser without throwing",
    async (file) => {
      const parsed = await simpleParser(readFileSync(join(CORPUS_DIR, file)));
      expect(parsed.headers.size).toBeGreaterThan(0);
    },
  );

  it("keeps raw non-UTF-8 bytes (the files are written from Buffers)", () => {
    const latin1 = corpusFile("header-raw-iso-8859-1");
    expect(latin1.includes(Buffer.from("R\xe9union", "latin1"))).toBe(true);
    const cp1252 = corpusFile("header-raw-windows-1252");
    expect(cp1252.includes(Buffer.from([0x93, 0x66, 0x69, 0x6e, 0x61, 0x6c, 0x94]))).toBe(true);
    const bareLf = corpusFile("line-endings-bare-lf");
    expect(bareLf.includes(Buffer.from("\r"))).toBe(false);
  });

  it("has a 30-level nested multipart that mailparser reaches the bottom of", async () => {
    const parsed = await simpleParser(corpusFile("nested-multipart-30"));
    expect(parsed.text).toContain("Level 30 text.");
    expect(parsed.attachments.map((a) => a.filename)).toEqual(["bottom.txt"]);
  });
});

describe("the generator", () => {
  it("writes the same bytes on every run, and the committed files are up to date", () => {
    const first = tempDir();
    const second = tempDir();
    const entries = buildCorpus(first);
    buildCorpus(second);
    expect(entries).toEqual(corpus);
    const a = filesOf(first);
    const b = filesOf(second);
    const committed = filesOf(CORPUS_DIR);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()]).toEqual([...committed.keys()]);
    for (const [name, bytes] of a) {
      expect(bytes.equals(b.get(name) ?? Buffer.alloc(0)), `${name} differs between runs`).toBe(
        true,
      );
      expect(
        bytes.equals(committed.get(name) ?? Buffer.alloc(0)),
        `${name} is stale: rerun the generator`,
      ).toBe(true);
    }
  });

  it("removes .eml files that are no longer part of the corpus, and only those", () => {
    const dir = tempDir();
    buildCorpus(dir);
    const stale = join(dir, "99-stale.eml");
    const other = join(dir, "keep.txt");
    writeFileSync(stale, "stale");
    writeFileSync(other, "keep");
    buildCorpus(dir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
});

describe("messages built on demand (never committed)", () => {
  it("builds a well-formed message of exactly the size asked, deterministically", async () => {
    const small = buildHugeMessage(300_000);
    expect(small.length).toBe(300_000);
    expect(buildHugeMessage(300_000).equals(small)).toBe(true);
    const parsed = await simpleParser(small);
    expect(parsed.messageId).toBe(HUGE_MESSAGE_ID);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe("huge.bin");
    expect(parsed.attachments[0]?.size).toBeGreaterThan(200_000);
  });

  it("makes the huge message 140 MB, under the limit, and the over-limit one over 150 MB", () => {
    let huge: Buffer | null = buildHugeMessage();
    expect(huge.length).toBe(HUGE_MESSAGE_BYTES);
    expect(huge.length).toBe(140 * 1024 * 1024);
    expect(huge.length).toBeLessThan(SIZE_LIMIT_BYTES);
    expect(huge.subarray(0, 2000).toString("latin1")).toContain(`Message-ID: ${HUGE_MESSAGE_ID}`);
    huge = null;
    let over: Buffer | null = buildOverLimitMessage();
    expect(over.length).toBeGreaterThan(SIZE_LIMIT_BYTES);
    expect(over.length).toBeGreaterThan(150_000_000);
    expect(over.subarray(0, 2000).toString("latin1")).toContain(
      `Message-ID: ${OVER_LIMIT_MESSAGE_ID}`,
    );
    over = null;
    expect(ON_DEMAND_CASES.map((c) => [c.builder, c.expect])).toEqual([
      ["buildHugeMessage", "save"],
      ["buildOverLimitMessage", "refuse"],
    ]);
    expect(ON_DEMAND_CASES[1].refuseCode).toBe("too_large");
  }, 60_000);

  it("is not in the committed folder", () => {
    for (const name of readdirSync(CORPUS_DIR)) {
      expect(statSync(join(CORPUS_DIR, name)).size, name).toBeLessThan(1024 * 1024);
    }
  });
});
