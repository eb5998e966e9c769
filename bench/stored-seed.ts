// N stored emails in the Graph fake's on-disk state, seeded once through the real storage adapter
// over HTTPS (so whatever layout the seeding writes is the real one) and kept in bench/.cache/
// (git-ignored): `seededStoredState` in today's layout (`seedStoredEmails`: record shards),
// `seededLegacyState` in the layout of earlier versions (`seedLegacyStoredEmails`: one record file
// per email and one index file), for the migration bench. Later runs get a working copy: small
// files copied, content files hard-linked (the fake replaces content by writing a new file and
// renaming it, never in place, so the cached copy cannot change under a run).
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
import type { StoragePort } from "../src/core/ports/storage.js";
import type { StoredEmailRecord } from "../src/core/stored-email.js";
import {
  createSeedingStorage,
  seededRecord,
  seedLegacyStoredEmails,
  seedStoredEmails,
} from "../test/support/rights-stack.js";
import { testCertificate, trustCertificateGlobally } from "../test/support/graph-fake.js";

const ROOT = join(import.meta.dirname, "..");
const CACHE_DIR = join(import.meta.dirname, ".cache");
/** Raise by hand when the seeded data itself changes (dates, projects, content). */
const SEED_VERSION = 2;
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

/** Raise by hand when the legacy seeding's data changes (legacyRecords below). */
const LEGACY_SEED_VERSION = 1;
/**
 * What decides the bytes of the layout of earlier versions: its seeding, the record and index
 * schemas, the file names, and the fake's disk format (the shard files play no part in it).
 */
const LEGACY_LAYOUT_FILES = [
  "test/support/rights-stack.ts",
  "src/services/storage/layout.ts",
  "src/core/stored-email.ts",
  "dev/graph-fake/drive-store.ts",
];
/**
 * Projects of the legacy mailbox, weighted as a real one is (one busy project, a long tail):
 * the project of email n is LEGACY_PROJECTS[n % 10].
 */
const LEGACY_PROJECTS = [
  ...Array<string>(4).fill("tower-b"),
  ...Array<string>(2).fill("riverside-clinic"),
  "harbour-bridge",
  "north-depot",
  "quay-offices",
  "maple-school",
];
/** The legacy mailbox's saves: two years, fixed, so no save is recent enough to need an event check. */
const LEGACY_FIRST_SAVE = Date.UTC(2024, 9, 1, 7);
const LEGACY_LAST_SAVE = Date.UTC(2026, 8, 30, 17);

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

function layoutKey(
  version = `seed ${SEED_VERSION}`,
  files: readonly string[] = LAYOUT_FILES,
): string {
  const hash = createHash("sha256").update(`${version}\n`);
  for (const file of files) {
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

/**
 * The records of a mailbox saved by earlier versions, newest save first and the same on every run
 * (the migration bench compares what it reads back with them): saves spread over two years
 * (about 25 message months), projects weighted as above, content (.eml) for every third email,
 * a note on every fifth, cc and attachments on some, each received a little before it was saved.
 */
export function legacyRecords(emails: number): StoredEmailRecord[] {
  const step = (LEGACY_LAST_SAVE - LEGACY_FIRST_SAVE) / Math.max(1, emails - 1);
  return Array.from({ length: emails }, (_, n) => {
    const savedAt = LEGACY_LAST_SAVE - Math.floor(n * step);
    const record = seededRecord(n, new Date(savedAt).toISOString(), {
      content: n % 3 === 0,
      projectId: LEGACY_PROJECTS[n % LEGACY_PROJECTS.length],
    });
    const received = new Date(savedAt - (n % 9) * 3_600_000 - (n % 4) * 86_400_000).toISOString();
    return {
      ...record,
      message: {
        ...record.message,
        receivedDateTime: received,
        sentDateTime: new Date(Date.parse(received) - 60_000).toISOString(),
        cc:
          n % 6 === 0 ? [{ name: "Léa Dubois", address: "lea.dubois@contoso-build.example" }] : [],
        hasAttachments: n % 4 === 0,
      },
      ...(n % 5 === 0 ? { note: `Suivi chantier n°${n}: check the revised drawings.` } : {}),
    };
  });
}

async function seed(
  name: string,
  write: (storage: StoragePort) => Promise<void>,
  user: { id: string; username: string; name: string },
) {
  const staging = mkdtempSync(join(CACHE_DIR, `seeding-${name}-`));
  const dataDir = join(staging, "data");
  const tls = await testCertificate();
  trustCertificateGlobally(tls.ca);
  const fake = await startGraphFake({ port: 0, dataDir, tls });
  const started = performance.now();
  try {
    await write(createSeedingStorage(fake.graphBaseUrl, user));
  } finally {
    // Closing compacts the journal into one snapshot: the copy then loads without replaying it.
    await fake.close();
  }
  return { staging, dataDir, seedMs: Math.round(performance.now() - started) };
}

/** One kind of cached state: its cache names, what decides its key, and how it is seeded. */
interface CachedKind {
  /** `stored-{emails}` or `legacy-{emails}`: the cache folder's name before its key. */
  name: string;
  /** Names of the folders of a seeding or a run in progress (`seeding-{tag}-`, `run-{tag}-`). */
  tag: string;
  key: string;
  /** A cached state older than this is seeded again. */
  maxAgeDays: number;
  label: string;
  write: (storage: StoragePort) => Promise<void>;
  /** Changes the fake's state on disk once seeded (the fake is closed then). */
  after?: (dataDir: string) => void;
}

/** The state of `kind`, seeded now or taken from the cache; other keys of the same name go. */
async function cachedState(
  kind: CachedKind,
  user: { id: string; username: string; name: string },
): Promise<SeededState> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = `${kind.name}-${kind.key}`;
  const cacheDir = join(CACHE_DIR, key);
  const metaPath = join(cacheDir, "seed.json");
  let meta: SeedMeta | null = null;
  if (existsSync(metaPath)) {
    const read = JSON.parse(readFileSync(metaPath, "utf8")) as SeedMeta;
    const ageDays = (Date.now() - Date.parse(read.seededAt)) / 86_400_000;
    if (read.user === user.id && ageDays <= kind.maxAgeDays) meta = read;
  }
  for (const name of readdirSync(CACHE_DIR)) {
    const stale = name.startsWith(`${kind.name}-`) && (name !== key || meta === null);
    // Leftovers of a run or a seeding that was stopped midway.
    if (stale || name.startsWith(`seeding-${kind.tag}-`) || name.startsWith(`run-${kind.tag}-`)) {
      rmSync(join(CACHE_DIR, name), { recursive: true, force: true });
    }
  }
  let seeded = false;
  if (meta === null) {
    console.log(`bench: seeding ${kind.label} once (cached in ${cacheDir})…`);
    const run = await seed(kind.tag, kind.write, user);
    kind.after?.(run.dataDir);
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
  const dataDir = mkdtempSync(join(CACHE_DIR, `run-${kind.tag}-`));
  workingCopy(join(cacheDir, "data"), dataDir);
  return { dataDir, seeded, seedMs: meta.seedMs, cacheBytes: meta.bytes, cacheDir };
}

/**
 * Dates each record shard's file as a mailbox filled over months would have it: last written when
 * its newest email was saved (seeding writes them all at once, and the fake has no clock to turn
 * back). The pane's start-up reconcile reads only the shards written in the last weeks, so the
 * bench then meets the start-up a real mailbox of that size has. Works on the fake's snapshot
 * (`drives/{id}/state.json`; closing the fake left its journal empty).
 */
function ageShardFiles(dataDir: string): void {
  const drives = join(dataDir, "drives");
  for (const drive of readdirSync(drives)) {
    const statePath = join(drives, drive, "state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8")) as {
      approotId: string;
      items: Array<{
        id: string;
        name: string;
        parentId: string | null;
        folder: boolean;
        lastModifiedDateTime: string;
      }>;
    };
    const records = state.items.find(
      (i) => i.folder && i.name === "records" && i.parentId === state.approotId,
    );
    if (!records) continue;
    for (const item of state.items) {
      if (item.folder || item.parentId !== records.id || item.name === "catalogue.json") continue;
      const shard = JSON.parse(readFileSync(join(drives, drive, "content", item.id), "utf8")) as {
        records?: Array<{ savedAt?: string }>;
      };
      const newest = (shard.records ?? []).reduce(
        (at, r) => (r.savedAt && r.savedAt > at ? r.savedAt : at),
        "",
      );
      if (newest) item.lastModifiedDateTime = newest.replace(/\.\d{3}Z$/, "Z");
    }
    writeFileSync(statePath, JSON.stringify(state));
  }
}

/**
 * The fake's state with `emails` stored emails of `user`, seeded now or taken from the cache.
 * Other cached states for the same count (an older layout) are removed.
 */
export function seededStoredState(
  emails: number,
  user: { id: string; username: string; name: string },
): Promise<SeededState> {
  return cachedState(
    {
      name: `stored-${emails}`,
      tag: String(emails),
      key: layoutKey(),
      maxAgeDays: MAX_AGE_DAYS,
      label: `${emails} stored emails`,
      write: (storage) => seedStoredEmails(storage, seedRecords(emails, Date.now())),
      after: ageShardFiles,
    },
    user,
  );
}

/**
 * The fake's state with the `emails` of `legacyRecords(emails)` stored by `user` in the layout of
 * earlier versions, exactly as they wrote it; seeded now or taken from the cache. Its dates are
 * fixed, so the cache does not age.
 */
export function seededLegacyState(
  emails: number,
  user: { id: string; username: string; name: string },
): Promise<SeededState> {
  return cachedState(
    {
      name: `legacy-${emails}`,
      tag: `legacy-${emails}`,
      key: layoutKey(`legacy seed ${LEGACY_SEED_VERSION}`, LEGACY_LAYOUT_FILES),
      maxAgeDays: Number.POSITIVE_INFINITY,
      label: `${emails} emails in the layout of earlier versions`,
      write: (storage) => seedLegacyStoredEmails(storage, legacyRecords(emails)),
    },
    user,
  );
}
