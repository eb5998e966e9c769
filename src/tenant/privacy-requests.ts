// The privacy office's requests for one user (privacy policy §7): a withdrawal it collected (a
// consent-ledger record and its event), "delete all my data" (services/rights/remove.ts) and a
// copy of the data (services/rights/export.ts). Ids come from the request's reference alone, so
// the same request run again finds what it did and does nothing twice.
import { deriveConsentState, privacyOfficeWithdrawal } from "../core/consent/consent.js";
import type { ReceiptParties } from "../core/consent/receipt.js";
import { SeptError } from "../core/errors.js";
import { exportMyDataTo, type ExportSink } from "../services/rights/export.js";
import { deleteAll } from "../services/rights/remove.js";
import { activityLogSize, chainBeginsWith } from "../services/storage/activity-log.js";
import {
  ACTIVITY_DIR,
  CONSENT_DIR,
  EMAILS_DIR,
  INDEX_DIR,
  RECORDS_DIR,
  PENDING_DIR,
  SETTINGS_FILE,
} from "../services/storage/layout.js";
import type { OperationResult, RunClock } from "./operations.js";
import type { UserServices } from "./user-services.js";

/** A request the privacy office acts on (privacy policy §7: access, deletion, withdrawal). */
export interface PrivacyRequest {
  /** The office's reference for the request (its ticket number): the same reference twice is one act. */
  reference: string;
  /** Who at the privacy office recorded it (a name or an address), kept in the consent record. */
  recordedBy: string;
  /** When the user's request reached the privacy office (ISO 8601). */
  requestedAt: string;
  /** When the office acts on it (the run's clock). */
  at: Date;
}

/** A reference names files and event ids, so it must be path-safe. */
const REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;

export function assertReference(reference: string): void {
  if (!REFERENCE.test(reference)) {
    throw new SeptError("bad_request", {
      message: "A request reference has 1 to 64 letters, digits, '-' or '_'.",
      params: { reason: "bad_reference" },
    });
  }
}

/** The ids a privacy-office request leaves behind, from its reference alone. */
export const withdrawalRecordId = (reference: string): string => `privacy-office-${reference}`;
export const withdrawalEventId = (reference: string): string =>
  `consent-withdrawn-privacy-office-${reference}`;
export const deletionEventId = (reference: string): string =>
  `all-data-deleted-privacy-office-${reference}`;

/**
 * A withdrawal collected by the privacy office: a ledger record like the pane's own (the latest
 * record decides, so every pane refuses the next save as soon as it re-reads the ledger, which it
 * does before every save) and one `consent_withdrawn` event. The same reference again changes
 * nothing. What is stored stays: deleting it is a request of its own (`delete`).
 */
export async function withdrawUser(
  services: UserServices,
  policyVersion: string,
  request: PrivacyRequest,
  clock: RunClock,
): Promise<OperationResult> {
  assertReference(request.reference);
  const records = await services.ledger.list(clock.signal);
  const id = withdrawalRecordId(request.reference);
  if (records.some((r) => r.id === id)) {
    // Recorded by an earlier run: make sure its event is there too (a crash between the two).
    if (!clock.dryRun) await services.activity.appendIdempotent(withdrawalEvent(id, request, null));
    return { counts: { recorded: 0, alreadyRecorded: 1 } };
  }
  const state = deriveConsentState(records, policyVersion);
  const grant = state.status === "granted" || state.status === "outdated" ? state.grant : null;
  const record = privacyOfficeWithdrawal({
    id,
    at: request.at.toISOString(),
    requestedAt: request.requestedAt,
    recordedBy: request.recordedBy,
    policyVersion,
    grantId: grant?.id ?? null,
    reference: request.reference,
  });
  if (clock.dryRun) return { counts: { recorded: 0, wouldRecord: 1 }, items: [record.id] };
  await services.ledger.append(record, clock.signal);
  await services.activity.appendIdempotent(withdrawalEvent(id, request, grant?.id ?? null));
  return { counts: { recorded: 1, alreadyRecorded: 0 } };
}

function withdrawalEvent(recordId: string, request: PrivacyRequest, grantId: string | null) {
  return {
    id: withdrawalEventId(request.reference),
    at: request.at.toISOString(),
    kind: "consent_withdrawn" as const,
    outcome: "success" as const,
    refs: { consentRecordId: recordId, ...(grantId ? { grantId } : {}) },
    details: { collectedBy: "privacy_office", reference: request.reference },
  };
}

/**
 * "Delete all my data" as the pane does it: everything goes, and one `all_data_deleted` record
 * stays, naming the privacy office's reference. The same reference again finds its record and
 * deletes nothing (data saved since belongs to a later consent and is not part of the request).
 */
const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

export async function deleteUser(
  services: UserServices,
  request: PrivacyRequest,
  clock: RunClock,
): Promise<OperationResult> {
  assertReference(request.reference);
  const recordId = deletionEventId(request.reference);
  // The deletion record starts the chain it leaves: the head names it (or, for a log of an
  // earlier version, the record's own file does).
  if (await chainBeginsWith(services.storage, recordId, clock.signal)) {
    return { counts: { deleted: 0, alreadyDeleted: 1 } };
  }
  if (clock.dryRun) {
    const folders = [EMAILS_DIR, CONSENT_DIR, ACTIVITY_DIR, INDEX_DIR, PENDING_DIR, RECORDS_DIR];
    const listed = await Promise.all(
      folders.map((folder) => services.storage.list(folder, clock.signal)),
    );
    const [emails = [], consent = [], activity = []] = listed;
    const root = await services.storage.list("", clock.signal);
    const stored = await services.index.entries({ fresh: true, ...opt(clock.signal) });
    const log = await activityLogSize(services.storage, clock.signal);
    return {
      counts: {
        emails: new Set([
          ...stored.map((e) => e.savedId),
          ...emails.map((f) => f.name.replace(/\.\w+$/, "")),
        ]).size,
        consentRecords: consent.length,
        activityEvents: log.events,
        files:
          listed.reduce((n, files) => n + files.length, 0) +
          root.length +
          log.files -
          activity.length,
      },
      items: [...root.map((f) => f.name), ...folders.map((f) => `${f}/`)],
    };
  }
  const result = await deleteAll(
    {
      storage: services.storage,
      now: () => request.at,
      newId: () => recordId,
      recordDetails: {
        collectedBy: "privacy_office",
        reference: request.reference,
      },
    },
    "my_data",
    clock.signal,
  );
  services.settings.forget();
  return {
    counts: {
      deleted: 1,
      emails: result.emails,
      consentRecords: result.consentRecords,
      activityEvents: result.activityEvents,
    },
  };
}

/**
 * Where an export goes, as the pane's streaming export writes it (one part at a time): a file for
 * the CLI, an HTTP response for the Functions app.
 */
export type { ExportSink };

/** The pane's export (the same ZIP, the same `data_exported` event), for an access request. */
export async function exportUser(
  services: UserServices,
  options: { language: string; sink: ExportSink; parties?: ReceiptParties },
  clock: RunClock,
): Promise<OperationResult> {
  if (clock.dryRun) {
    const [emails, consent] = await Promise.all(
      [EMAILS_DIR, CONSENT_DIR].map((f) => services.storage.list(f, clock.signal)),
    );
    const log = await activityLogSize(services.storage, clock.signal);
    const root = await services.storage.stat(SETTINGS_FILE, clock.signal);
    const stored = await services.index.entries({ fresh: true, ...opt(clock.signal) });
    return {
      counts: {
        emails: new Set([
          ...stored.map((e) => e.savedId),
          ...(emails ?? []).map((f) => f.name.replace(/\.\w+$/, "")),
        ]).size,
        consentRecords: consent?.length ?? 0,
        activityEvents: log.events,
        settings: root ? 1 : 0,
      },
    };
  }
  const principalId = services.user.userPrincipalName ?? services.user.id;
  const summary = await exportMyDataTo(
    {
      storage: services.storage,
      activity: services.activity,
      index: services.index,
      ledger: services.ledger,
      principal: { principalId, language: options.language },
      ...(options.parties ? { parties: options.parties } : {}),
      now: () => clock.now,
    },
    options.sink,
    { signal: clock.signal },
  );
  return { counts: { exported: 1, bytes: summary.sizeBytes } };
}
