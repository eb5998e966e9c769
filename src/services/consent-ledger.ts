import {
  PURPOSES,
  recordTime,
  type CollectionContext,
  type ConsentRecord,
  type Purpose,
} from "../core/consent/consent.js";
import type { ConsentLedgerPort } from "../core/ports/consent-ledger.js";
import type { StoragePort } from "../core/ports/storage.js";
import { createImmutableFolderReader } from "./immutable-folder.js";
import { CONSENT_DIR, consentRecordPath } from "./storage-layout.js";

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function parseCollection(value: unknown): CollectionContext | null {
  if (!value || typeof value !== "object") return null;
  const c = value as Record<string, unknown>;
  if (c.method !== "taskpane") return null;
  const field = (k: string) => (typeof c[k] === "string" ? (c[k] as string) : "");
  return {
    method: "taskpane",
    addinVersion: field("addinVersion"),
    host: field("host"),
    platform: field("platform"),
    hostVersion: field("hostVersion"),
    language: field("language"),
  };
}

/** Storage is outside our control: a record that does not parse is ignored, never trusted. */
export function parseConsentRecord(value: unknown): ConsentRecord | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  const collection = parseCollection(r.collection);
  if (!collection || !isString(r.id) || !isString(r.policyVersion)) return null;
  if (r.kind === "grant") {
    if (!isString(r.grantedAt) || Number.isNaN(Date.parse(r.grantedAt))) return null;
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
    };
  }
  if (r.kind === "withdrawal") {
    if (!isString(r.withdrawnAt) || Number.isNaN(Date.parse(r.withdrawnAt))) return null;
    return {
      kind: "withdrawal",
      id: r.id,
      grantId: isString(r.grantId) ? r.grantId : null,
      policyVersion: r.policyVersion,
      withdrawnAt: r.withdrawnAt,
      collection,
    };
  }
  return null;
}

/** One write-once file per record (conflict "fail"): nothing is overwritten, two panes both land. */
export function createStorageConsentLedger(storage: StoragePort): ConsentLedgerPort {
  const readAll = createImmutableFolderReader(storage, CONSENT_DIR, parseConsentRecord);
  return {
    async append(record, signal) {
      await storage.writeJson(
        consentRecordPath(recordTime(record), record.kind, record.id),
        record,
        {
          conflict: "fail",
          signal,
        },
      );
    },
    list: readAll,
  };
}
