// "A copy of my data" (GDPR Art. 15 and 20): one ZIP with the original messages, every stored
// record, the consent receipts, the activity log and the user's projects and settings, in JSON
// whose every field README.txt documents.
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from "fflate";
import type { ActivityEvent } from "../core/activity/activity.js";
import { compareRecords } from "../core/consent/consent.js";
import { consentReceipt } from "../core/consent/receipt.js";
import { SeptError } from "../core/errors.js";
import { resolveLanguage } from "../core/i18n/index.js";
import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { ConsentLedgerPort } from "../core/ports/consent-ledger.js";
import type { StoragePort, StoredFile } from "../core/ports/storage.js";
import { EXPORT_README } from "./export-readme.js";
import { PROJECTS_FILE } from "./project-catalogue.js";
import { SETTINGS_FILE } from "./settings.js";
import { EMAILS_DIR } from "./storage-layout.js";
import { isSavedId } from "./stored-emails.js";

export const EXPORT_FORMAT = "sept-export/1";
/** Downloads in flight: storage caps requests itself; this bounds what waits in memory. */
const READ_WINDOW = 8;
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface ExportDeps {
  storage: StoragePort;
  activity: ActivityLogPort;
  ledger: ConsentLedgerPort;
  /** Whom the consent receipts are about (the mailbox owner) and in which language. */
  principal: { principalId: string; language: string };
  now?: () => Date;
  newId?: () => string;
}

export interface ExportOptions {
  /** Files gathered so far, of `total` (stored emails' files, then the rest). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** `manifest.json`: what the archive holds. */
export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  principalId: string;
  counts: {
    emails: number;
    emlFiles: number;
    consentRecords: number;
    activityEvents: number;
  };
  activityLogVerified: boolean;
  files: string[];
}

/** README.txt in the user's language: what each file is, and every JSON field. */
export function exportReadme(language: string): string {
  return EXPORT_README[resolveLanguage(language)].replaceAll("{format}", EXPORT_FORMAT);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SeptError("cancelled", { cause: signal.reason });
}

const json = (value: unknown): Uint8Array => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/** The ZIP, built as a stream: each file is added as soon as it is read, then let go. */
class ZipStream {
  private readonly chunks: Uint8Array[] = [];
  private readonly zip: Zip;
  private readonly finished: Promise<void>;
  readonly names: string[] = [];
  private size = 0;

  constructor(private readonly mtime: Date) {
    let resolve: () => void = () => undefined;
    let reject: (error: unknown) => void = () => undefined;
    this.finished = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        reject(error);
        return;
      }
      this.chunks.push(chunk);
      this.size += chunk.byteLength;
      if (final) resolve();
    });
  }

  /** .eml files are stored as they are (already compact, and kept byte for byte); JSON deflated. */
  add(name: string, data: Uint8Array, compress: boolean): void {
    const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    file.mtime = this.mtime;
    this.zip.add(file);
    file.push(data, true);
    this.names.push(name);
  }

  async finish(): Promise<Uint8Array> {
    this.zip.end();
    await this.finished;
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.chunks.length = 0;
    return out;
  }
}

/** Reads a file, or null when it is absent (or was removed since it was listed). */
async function readIfPresent(
  storage: StoragePort,
  path: string,
  signal: AbortSignal | undefined,
): Promise<Uint8Array | null> {
  try {
    return await storage.read(path, signal);
  } catch (error) {
    if (error instanceof SeptError && error.code === "not_found") return null;
    throw error;
  }
}

/**
 * Builds the export. Stored emails come from the folder itself, not the index, so an email the
 * index lost is exported too. One `data_exported` event is logged once the archive is complete.
 * Memory: the finished archive plus a window of eight files, never every file at once.
 */
export async function exportMyData(
  deps: ExportDeps,
  options: ExportOptions = {},
): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const exportedAt = now();

  const [emailFiles, consentRecords, events] = await Promise.all([
    deps.storage.list(EMAILS_DIR, signal),
    deps.ledger.list(signal),
    deps.activity.list(signal),
  ]);
  const verdict = await deps.activity.verify(signal);
  const stored = emailFiles
    .map((file) => ({ file, match: /^(.+)\.(json|eml)$/.exec(file.name) }))
    .filter(
      (f): f is { file: StoredFile; match: RegExpExecArray } =>
        f.match !== null && isSavedId(f.match[1]),
    )
    .sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
  const total = stored.length + 4;
  let done = 0;
  const progress = () => onProgress?.(done, total);
  progress();

  const zip = new ZipStream(exportedAt);
  zip.add("README.txt", strToU8(exportReadme(deps.principal.language)), true);
  const emailIds = new Set<string>();
  let emlFiles = 0;
  for (let i = 0; i < stored.length; i += READ_WINDOW) {
    throwIfAborted(signal);
    const window = stored.slice(i, i + READ_WINDOW);
    const contents = await Promise.all(
      window.map(({ file }) => readIfPresent(deps.storage, `${EMAILS_DIR}/${file.name}`, signal)),
    );
    window.forEach(({ match }, j) => {
      const bytes = contents[j];
      done++;
      if (!bytes) return;
      const [, savedId = "", extension] = match;
      emailIds.add(savedId);
      if (extension === "eml") {
        emlFiles++;
        zip.add(`emails/${savedId}.eml`, bytes, false);
      } else {
        zip.add(`records/${savedId}.json`, bytes, true);
      }
    });
    progress();
  }

  throwIfAborted(signal);
  const ledger = [...consentRecords].sort(compareRecords);
  zip.add("consent/records.json", json({ schema: 1, records: ledger }), true);
  ledger.forEach((record, i) => {
    const name = SAFE_ID.test(record.id) ? record.id : `record-${i + 1}`;
    zip.add(`consent/receipts/${name}.json`, json(consentReceipt(record, deps.principal)), true);
  });
  done++;
  progress();

  const oldestFirst: ActivityEvent[] = [...events].reverse();
  zip.add(
    "activity/log.json",
    json({ schema: 1, verified: verdict.ok, problems: verdict.problems, events: oldestFirst }),
    true,
  );
  done++;
  progress();

  for (const name of [PROJECTS_FILE, SETTINGS_FILE]) {
    const bytes = await readIfPresent(deps.storage, name, signal);
    if (bytes) zip.add(name, bytes, true);
  }
  done++;
  progress();

  const counts = {
    emails: emailIds.size,
    emlFiles,
    consentRecords: ledger.length,
    activityEvents: oldestFirst.length,
  };
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    exportedAt: exportedAt.toISOString(),
    principalId: deps.principal.principalId,
    counts,
    activityLogVerified: verdict.ok,
    files: [...zip.names, "manifest.json"],
  };
  zip.add("manifest.json", json(manifest), true);
  const archive = await zip.finish();
  done++;
  progress();

  await deps.activity.append({
    id: newId(),
    at: now().toISOString(),
    kind: "data_exported",
    outcome: "success",
    refs: {},
    sizeBytes: archive.byteLength,
    details: { ...counts, format: EXPORT_FORMAT },
  });
  return archive;
}
