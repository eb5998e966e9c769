// N stored emails in the Graph fake's on-disk state, seeded once through `seedStoredEmails` (the
// real storage adapter over HTTPS, so whatever layout the seeding writes is the real one) and kept
// in bench/.cache/ (git-ignored). Later runs get a working copy: small files copied, content files
// hard-linked (the fake replaces content by writing a new file and renaming it, never in place, so
// the cached copy cannot change under a run).
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { startGraphFake } from "../dev/graph-fake/server.js";
import {
  createSeedingStorage,
  seededRecord,
  seedStoredEmails,
} from "../test/support/rights-stack.js";
import { testCertificate, trustCertificateGlobally } from "../test/support/graph-fake.js";

const ROOT = join(import.meta.dirname, "..");
const CACHE_DIR = join(import.meta.dirname, ".cache");
/** Raise by hand when the seeded data itself changes (dates, projects, content). */
const SEED_VERSION = 1;
/**
 * What decides the bytes on disk: the seeding (records, index or shards), the names and schemas
 * of stored files, and the fake's own disk format. A change to any of them seeds again.
 */
const LAYOUT_FILES = [
  "test/support/rights-stack.ts",
  "src/services/storage/layout.ts",
  "src/core/stored-email.ts",
  "dev/graph-fake/drive-store.ts",
  // The sharded layout's format, once it exists.
  "src/services/storage/record-shards.ts",
  "src/services/storage/shard-store.ts",
];
/** Seeded saves spread over this many days, newest first, inside every retention the demo allows. */
const SPAN_DAYS = 300;
/** A cached state older than this is seeded again, so no seeded email nears its retention. */
const MAX_AGE_DAYS = 30;
const PROJECTS = ["tower-b", "riverside-clinic", "harbour-bridge", "north-depot"];

export interface SeededState {
  /** A fresh copy of the fake's data directory holding the emails; delete it when done. */
  dataDir: string;
  /** Whether this run paid for the seeding. */
  seeded: boolean;
  /** How long the seeding took when it ran (this run or the one that cached it). */
  seedMs: number;
  /** Bytes the cached state takes on disk. */
  cacheBytes: number;
  cacheDir: string;
}

interface SeedMeta {
  seededAt: string;
  seedMs: number;
  bytes: number;
  user: string;
}

function layoutKey(): string {
  const hash = createHash("sha256").update(`seed ${SEED_VERSION}\n`);
  for (const file of LAYOUT_FILES) {
    const path = join(ROOT, file);
    if (!existsSync(path)) continue;
    hash.update(`${file}\n`);
    hash.update(readFileSync(path));
  }
  return hash.digest("hex").slice(0, 12);
}

function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(path) : statSync(path).size;
  }
  return total;
}

/** Copies `from` to `to`, hard-linking the files of every `content` folder. */
function workingCopy(from: string, to: string, linked = false): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) workingCopy(source, target, linked || entry.name === "content");
    else if (!linked) copyFileSync(source, target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target); // another file system
      }
    }
  }
}

/** The records for N emails, newest save first, over SPAN_DAYS and four projects. */
function seedRecords(emails: number, now: number) {
  const step = (SPAN_DAYS * 86_400_000) / emails;
  return Array.from({ length: emails }, (_, n) =>
    seededRecord(n, new Date(now - Math.floor(n * step)).toISOString(), {
      content: false,
      projectId: PROJECTS[n % PROJECTS.length],
    }),
  );
}

async function seed(emails: number, user: { id: string; username: string; name: string }) {
  const staging = mkdtempSync(join(CACHE_DIR, `seeding-${emails}-`));
  const dataDir = join(staging, "data");
  const tls = await testCertificate();
  trustCertificateGlobally(tls.ca);
  const fake = await startGraphFake({ port: 0, dataDir, tls });
  const started = performance.now();
  try {
    await seedStoredEmails(
      createSeedingStorage(fake.graphBaseUrl, user),
      seedRecords(emails, Date.now()),
    );
  } finally {
    // Closing compacts the journal into one snapshot: the copy then loads without replaying it.
    await fake.close();
  }
  return { staging, dataDir, seedMs: Math.round(performance.now() - started) };
}

/**
 * The fake's state with `emails` stored emails of `user`, seeded now or taken from the cache.
 * Other cached states for the same count (an older layout) are removed.
 */
export async function seededStoredState(
  emails: number,
  user: { id: string; username: string; name: string },
): Promise<SeededState> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = `stored-${emails}-${layoutKey()}`;
  const cacheDir = join(CACHE_DIR, key);
  const metaPath = join(cacheDir, "seed.json");
  let meta: SeedMeta | null = null;
  if (existsSync(metaPath)) {
    const read = JSON.parse(readFileSync(metaPath, "utf8")) as SeedMeta;
    const ageDays = (Date.now() - Date.parse(read.seededAt)) / 86_400_000;
    if (read.user === user.id && ageDays <= MAX_AGE_DAYS) meta = read;
  }
  for (const name of readdirSync(CACHE_DIR)) {
    const stale = name.startsWith(`stored-${emails}-`) && (name !== key || meta === null);
    // Leftovers of a run or a seeding that was stopped midway.
    if (stale || name.startsWith(`seeding-${emails}-`) || name.startsWith(`run-${emails}-`)) {
      rmSync(join(CACHE_DIR, name), { recursive: true, force: true });
    }
  }
  let seeded = false;
  if (meta === null) {
    console.log(`bench: seeding ${emails} stored emails once (cached in ${cacheDir})…`);
    const run = await seed(emails, user);
    meta = {
      seededAt: new Date().toISOString(),
      seedMs: run.seedMs,
      bytes: diskBytes(run.dataDir),
      user: user.id,
    };
    writeFileSync(join(run.staging, "seed.json"), JSON.stringify(meta, null, 2));
    renameSync(run.staging, cacheDir);
    seeded = true;
  }
  const dataDir = mkdtempSync(join(CACHE_DIR, `run-${emails}-`));
  workingCopy(join(cacheDir, "data"), dataDir);
  return { dataDir, seeded, seedMs: meta.seedMs, cacheBytes: meta.bytes, cacheDir };
}
