// "A copy of my data" (GDPR Art. 15 and 20): one ZIP with the original messages, every stored
// record, the consent receipts, the activity log and the user's projects and settings, in JSON
// whose every field README.txt documents. Over 300 lines on purpose: the ZIP's parts (stored
// emails, shard records, consent, activity log, projects and settings, manifest) are each a small
// helper here, read in the order streamExport writes them.
import { strToU8 } from "fflate";
import type { ActivityEvent } from "../../core/activity/activity.js";
import { compareRecords } from "../../core/consent/consent.js";
import { consentReceipt, type ReceiptParties } from "../../core/consent/receipt.js";
import { SeptError } from "../../core/errors.js";
import { resolveLanguage } from "../../core/i18n/index.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { ConsentLedgerPort } from "../../core/ports/consent-ledger.js";
import type { StoragePort, StoredFile } from "../../core/ports/storage.js";
import { EXPORT_README } from "./export-readme.js";
import { memorySink, ZipStream, type ExportSink } from "./export-zip.js";
import { EMAILS_DIR, PROJECTS_FILE, SETTINGS_FILE } from "../storage/layout.js";
import { isSavedId } from "./stored-emails.js";
import { createEmailIndex, type EmailIndex } from "../storage/email-index.js";

export { memorySink, writableStreamSink, type ExportSink } from "./export-zip.js";

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
  /** Who the receipts name (controller, processor, jurisdiction): the org policy's; default SEPT's. */
  parties?: ReceiptParties;
  /** The stored emails' records (the pane's index); one over `storage` is made when absent. */
  index?: Pick<EmailIndex, "records">;
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

/** What a finished export wrote. */
export interface ExportSummary {
  sizeBytes: number;
  manifest: ExportManifest;
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

/** Files read ahead while the previous ones are written: at most this many bytes of them. */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * Builds the export into memory and returns it: for small exports and tests. The pane and the
 * tenant job stream it with exportMyDataTo.
 */
export async function exportMyData(
  deps: ExportDeps,
  options: ExportOptions = {},
): Promise<Uint8Array> {
  const sink = memorySink();
  await exportMyDataTo(deps, sink, options);
  return sink.bytes();
}

/**
 * Streams the export to `sink`. Stored emails come from the folder itself, not the index, so an
 * email the index lost is exported too. One `data_exported` event is logged once the archive is
 * complete. Memory: the email being written plus up to 8 MB read ahead (never fewer than one
 * email), whatever the mailbox's size; the sink decides where the parts go.
 */
export async function exportMyDataTo(
  deps: ExportDeps,
  sink: ExportSink,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  try {
    return await streamExport(deps, sink, options);
  } catch (error) {
    await Promise.resolve(sink.abort?.(error)).catch(() => undefined);
    throw error;
  }
}

type StoredEmailFile = { file: StoredFile; match: RegExpExecArray };

/**
 * Adds the stored emails' files to the ZIP (.eml as they are, records deflated), reading a window
 * of files ahead while the previous ones are written. `step.one` after each file, `step.window`
 * after each window.
 */
async function addStoredEmails(
  storage: StoragePort,
  zip: ZipStream,
  stored: readonly StoredEmailFile[],
  step: { one(): void; window(): void },
  signal: AbortSignal | undefined,
): Promise<{ emailIds: Set<string>; emlFiles: number }> {
  const emailIds = new Set<string>();
  let emlFiles = 0;
  for (let i = 0; i < stored.length;) {
    throwIfAborted(signal);
    // A window of files whose sizes add up to READ_AHEAD_BYTES, at least one, at most 8.
    let end = i + 1;
    let bytes = stored[i]!.file.size;
    while (end < stored.length && end - i < READ_WINDOW) {
      bytes += stored[end]!.file.size;
      if (bytes > READ_AHEAD_BYTES) break;
      end++;
    }
    const window = stored.slice(i, end);
    i = end;
    // The window's metadata in one $batch, then its downloads: about one request a file, not two.
    // Only `contents` keeps the bytes, so each file is let go once it is written.
    const contents: Array<Uint8Array | null> = (
      await storage.readMany(
        window.map(({ file }) => `${EMAILS_DIR}/${file.name}`),
        signal ? { signal } : {},
      )
    ).map((r) => {
      // Gone since it was listed (deleted in another window): not exported.
      if (r === undefined) return null;
      if (r.error) throw r.error;
      return r.bytes ?? null;
    });
    for (const [j, { match }] of window.entries()) {
      const content = contents[j];
      contents[j] = null;
      step.one();
      if (!content) continue;
      const [, savedId = "", extension] = match;
      emailIds.add(savedId);
      if (extension === "eml") {
        emlFiles++;
        zip.add(`emails/${savedId}.eml`, content, false);
      } else {
        zip.add(`records/${savedId}.json`, content, true);
      }
      await zip.drain();
    }
    step.window();
  }
  return { emailIds, emlFiles };
}

/** Adds the consent records (oldest first) and a receipt for each; resolves to the records. */
function addConsent(
  zip: ZipStream,
  records: Awaited<ReturnType<ConsentLedgerPort["list"]>>,
  deps: Pick<ExportDeps, "principal" | "parties">,
) {
  const ledger = [...records].sort(compareRecords);
  zip.add("consent/records.json", json({ schema: 1, records: ledger }), true);
  ledger.forEach((record, i) => {
    const name = SAFE_ID.test(record.id) ? record.id : `record-${i + 1}`;
    zip.add(
      `consent/receipts/${name}.json`,
      json(consentReceipt(record, deps.principal, deps.parties)),
      true,
    );
  });
  return ledger;
}

/**
 * Records kept in shards, one file each in the ZIP as before (one of earlier versions not yet
 * moved into a shard was added from its own file, by addStoredEmails).
 */
async function addShardRecords(
  zip: ZipStream,
  records: Awaited<ReturnType<EmailIndex["records"]>>,
  emailIds: Set<string>,
): Promise<void> {
  for (const record of [...records].sort((a, b) => (a.savedId < b.savedId ? -1 : 1))) {
    if (!isSavedId(record.savedId) || zip.names.includes(`records/${record.savedId}.json`))
      continue;
    emailIds.add(record.savedId);
    zip.add(`records/${record.savedId}.json`, json(record), true);
    await zip.drain();
  }
}

async function addProjectsAndSettings(
  storage: StoragePort,
  zip: ZipStream,
  signal?: AbortSignal,
): Promise<void> {
  for (const name of [PROJECTS_FILE, SETTINGS_FILE]) {
    const bytes = await readIfPresent(storage, name, signal);
    if (bytes) zip.add(name, bytes, true);
  }
}

/** The activity log, oldest event first, with what its verification found. */
function addActivityLog(
  zip: ZipStream,
  events: readonly ActivityEvent[],
  verdict: Awaited<ReturnType<ActivityLogPort["verify"]>>,
): ActivityEvent[] {
  const oldestFirst: ActivityEvent[] = [...events].reverse();
  zip.add(
    "activity/log.json",
    json({ schema: 1, verified: verdict.ok, problems: verdict.problems, events: oldestFirst }),
    true,
  );
  return oldestFirst;
}

async function streamExport(
  deps: ExportDeps,
  sink: ExportSink,
  options: ExportOptions,
): Promise<ExportSummary> {
  const { signal, onProgress } = options;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const exportedAt = now();

  const index = deps.index ?? createEmailIndex(deps.storage);
  const [emailFiles, consentRecords, events, records] = await Promise.all([
    deps.storage.list(EMAILS_DIR, signal),
    deps.ledger.list(signal),
    deps.activity.list(signal),
    index.records(signal),
  ]);
  const verdict = await deps.activity.verify(signal);
  const stored = emailFiles
    .map((file) => ({ file, match: /^(.+)\.(json|eml)$/.exec(file.name) }))
    .filter((f): f is StoredEmailFile => f.match !== null && isSavedId(f.match[1]))
    .sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
  const total = stored.length + 4;
  let done = 0;
  const progress = () => onProgress?.(done, total);
  progress();

  const zip = new ZipStream(exportedAt, sink);
  zip.add("README.txt", strToU8(exportReadme(deps.principal.language)), true);
  const { emailIds, emlFiles } = await addStoredEmails(
    deps.storage,
    zip,
    stored,
    {
      one: () => {
        done++;
      },
      window: progress,
    },
    signal,
  );
  await addShardRecords(zip, records, emailIds);
  throwIfAborted(signal);
  const ledger = addConsent(zip, consentRecords, deps);
  done++;
  progress();

  const oldestFirst = addActivityLog(zip, events, verdict);
  done++;
  progress();

  await addProjectsAndSettings(deps.storage, zip, signal);
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
  await zip.finish();
  done++;
  progress();

  await deps.activity.append({
    id: newId(),
    at: now().toISOString(),
    kind: "data_exported",
    outcome: "success",
    refs: {},
    sizeBytes: zip.size,
    details: { ...counts, format: EXPORT_FORMAT },
  });
  return { sizeBytes: zip.size, manifest };
}
