import {
  PURPOSES,
  recordTime,
  type ConsentRecord,
  type Purpose,
  type RecordCollection,
} from "../../core/consent/consent.js";
import type { ConsentLedgerPort } from "../../core/ports/consent-ledger.js";
import type { StoragePort, StoredFile } from "../../core/ports/storage.js";
import { createImmutableFolderReader } from "./immutable-folder.js";
import { CONSENT_DIR, consentRecordPath } from "./layout.js";

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isTime = (v: unknown): v is string => isString(v) && !Number.isNaN(Date.parse(v));

function parseCollection(value: unknown): RecordCollection | null {
  if (!value || typeof value !== "object") return null;
  const c = value as Record<string, unknown>;
  const field = (k: string) => (typeof c[k] === "string" ? (c[k] as string) : "");
  if (c.method === "privacy_office") {
    // Who recorded it and when the user asked: without them the record demonstrates nothing.
    if (!isString(c.recordedBy) || !isTime(c.requestedAt)) return null;
    return {
      method: "privacy_office",
      recordedBy: c.recordedBy,
      requestedAt: c.requestedAt,
      ...(isString(c.reference) ? { reference: c.reference } : {}),
    };
  }
  if (c.method !== "taskpane") return null;
  return {
    method: "taskpane",
    addinVersion: field("addinVersion"),
    host: field("host"),
    platform: field("platform"),
    hostVersion: field("hostVersion"),
    language: field("language"),
  };
}

/**
 * Storage is outside our control: a record that does not parse is ignored, never trusted. The
 * order comes from `file` (the server's creation time), never from a time inside the content.
 */
export function parseConsentRecord(value: unknown, file?: StoredFile): ConsentRecord | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  const collection = parseCollection(r.collection);
  if (!collection || !isString(r.id) || !isString(r.policyVersion)) return null;
  const storedAt = isTime(file?.created) ? { storedAt: file.created } : {};
  const follows = isString(r.follows) ? { follows: r.follows } : {};
  if (r.kind === "grant") {
    // Consent is given in the pane only: a grant from any other channel is not demonstrable.
    if (collection.method !== "taskpane") return null;
    if (!isTime(r.grantedAt)) return null;
    if (!Array.isArray(r.purposes) || !isString(r.policyUrl)) return null;
    const purposes = r.purposes.filter((p): p is Purpose => PURPOSES.includes(p as Purpose));
    if (!purposes.includes("email_metadata")) return null;
    return {
      kind: "grant",
      id: r.id,
      policyVersion: r.policyVersion,
      policyUrl: r.policyUrl,
      purposes: PURPOSES.filter((p) => purposes.includes(p)),
      grantedAt: r.grantedAt,
      collection,
      ...follows,
      ...storedAt,
    };
  }
  if (r.kind === "withdrawal") {
    if (!isTime(r.withdrawnAt)) return null;
    return {
      kind: "withdrawal",
      id: r.id,
      grantId: isString(r.grantId) ? r.grantId : null,
      policyVersion: r.policyVersion,
      withdrawnAt: r.withdrawnAt,
      collection,
      ...follows,
      ...storedAt,
    };
  }
  return null;
}

/** The record as written: `storedAt` is the server's to say, so it is never part of the file. */
function content(record: ConsentRecord): Omit<ConsentRecord, "storedAt"> {
  const { storedAt: _ignored, ...rest } = record;
  return rest;
}

/**
 * Writes a record into a user's ledger: the pane through its ConsentService, the tenant job for
 * the privacy office (build the record with `privacyOfficeWithdrawal`). One write-once file per
 * record (conflict "fail"): nothing is overwritten, two writers both land. Resolves with the
 * record as stored, `storedAt` filled from the server's answer.
 */
export async function appendConsentRecord(
  storage: StoragePort,
  record: ConsentRecord,
  signal?: AbortSignal,
): Promise<ConsentRecord> {
  return (await writeConsentRecord(storage, record, signal)).stored;
}

async function writeConsentRecord(
  storage: StoragePort,
  record: ConsentRecord,
  signal?: AbortSignal,
): Promise<{ stored: ConsentRecord; file: StoredFile; written: unknown }> {
  const written = content(record);
  const file = await storage.writeJson(
    consentRecordPath(recordTime(record), record.kind, record.id),
    written,
    { conflict: "fail", ...(signal ? { signal } : {}) },
  );
  const stored = isTime(file.created) ? { ...record, storedAt: file.created } : { ...record };
  return { stored, file, written };
}

export function createStorageConsentLedger(storage: StoragePort): ConsentLedgerPort {
  const readAll = createImmutableFolderReader(storage, CONSENT_DIR, parseConsentRecord);
  return {
    append: async (record, signal) => {
      const { stored, file, written } = await writeConsentRecord(storage, record, signal);
      // The pane's next listing shows this file: what it holds is known, so it is not downloaded
      // (parsed from its JSON, exactly as a download would be).
      readAll.remember(file, JSON.parse(JSON.stringify(written)));
      return stored;
    },
    list: readAll,
  };
}
