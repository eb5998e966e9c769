// Where things live in SEPT storage. Names are built from times and ids only, never from email data.
import { compactTimestamp } from "../core/activity/activity.js";

export const CONSENT_DIR = "consent";
export const ACTIVITY_DIR = "activity";
export const EMAILS_DIR = "emails";

export function consentRecordPath(time: string, kind: string, id: string): string {
  return `${CONSENT_DIR}/${compactTimestamp(time)}-${kind}-${id}.json`;
}

export function activityEventPath(at: string, id: string): string {
  return `${ACTIVITY_DIR}/${compactTimestamp(at)}-${id}.json`;
}
