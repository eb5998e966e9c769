// Where things live in SEPT storage: the one place that names files. Names are built from times
// and ids only, never from email data.
import { compactTimestamp } from "../../core/activity/activity.js";

export const CONSENT_DIR = "consent";
export const ACTIVITY_DIR = "activity";
/** The activity chain's head: the newest event's place and hash (see services/storage/activity-log.ts). */
export const ACTIVITY_HEAD_PATH = `${ACTIVITY_DIR}/head.json`;
export const EMAILS_DIR = "emails";
/** Saves of more than 4 MB in progress, so that reconcile can finish or undo them. */
export const PENDING_DIR = "pending";
export const INDEX_DIR = "index";
/** The index that keeps listing and "already saved" at one read, whatever the number of emails. */
export const EMAIL_INDEX_PATH = `${INDEX_DIR}/emails.json`;

export function consentRecordPath(time: string, kind: string, id: string): string {
  return `${CONSENT_DIR}/${compactTimestamp(time)}-${kind}-${id}.json`;
}

/** A saved email's JSON record. */
export const recordPath = (savedId: string): string => `${EMAILS_DIR}/${savedId}.json`;
/** A saved email's original message (.eml), present only when content was saved. */
export const contentPath = (savedId: string): string => `${EMAILS_DIR}/${savedId}.eml`;
export const reservationPath = (savedId: string): string => `${PENDING_DIR}/${savedId}.json`;
