// Where things live in SEPT storage: the one place that names files. Names are built from times
// and ids only, never from email data. (The activity log's event files, `activity/{id}.json`, are
// named by activityEventFile in activity-log.ts, which checks that the id is path-safe.)
import { compactTimestamp } from "../../core/activity/activity.js";

export const CONSENT_DIR = "consent";
export const ACTIVITY_DIR = "activity";
export const EMAILS_DIR = "emails";
/** Saves of more than 4 MB in progress, so that reconcile can finish or undo them. */
export const PENDING_DIR = "pending";
export const INDEX_DIR = "index";
/**
 * Stored emails' records, kept in shards of one message month each (record-shards.ts), and the
 * catalogue of the live shard files. `emails/` then holds content (.eml) only; a record file
 * `emails/{savedId}.json` and `index/` belong to the layout of earlier versions (migrated).
 */
export const RECORDS_DIR = "records";
export const CATALOGUE_PATH = `${RECORDS_DIR}/catalogue.json`;

/** The activity chain's head: the current shard's events, sealed (see activity-log.ts). */
export const ACTIVITY_HEAD_PATH = `${ACTIVITY_DIR}/head.json`;
/** Archived shards of the activity chain: immutable, named by place and hash, never email data. */
export const ACTIVITY_SHARDS_DIR = `${ACTIVITY_DIR}/shards`;
/** The project catalogue: one small file at the root, replaced whole under If-Match. */
export const PROJECTS_FILE = "projects.json";
/** The user's account settings (retention): one small file at the root, replaced whole. */
export const SETTINGS_FILE = "settings.json";

/** A consent record: write-once, named by its time, kind and id. */
export function consentRecordPath(time: string, kind: string, id: string): string {
  return `${CONSENT_DIR}/${compactTimestamp(time)}-${kind}-${id}.json`;
}

/** A saved email's JSON record in the layout of earlier versions (now in shards). */
export const recordPath = (savedId: string): string => `${EMAILS_DIR}/${savedId}.json`;
/** A saved email's original message (.eml), present only when content was saved. */
export const contentPath = (savedId: string): string => `${EMAILS_DIR}/${savedId}.eml`;
/** A save of more than 4 MB in progress. */
export const reservationPath = (savedId: string): string => `${PENDING_DIR}/${savedId}.json`;

/**
 * The email index of earlier versions (now derived from the shards), which kept listing and "already saved" at one read whatever the number of
 * emails: `index/emails.json` at first (generation 0), then `index/emails-{generation}-{random}.json`.
 */
export const FIRST_INDEX_NAME = "emails.json";
export const EMAIL_INDEX_PATH = `${INDEX_DIR}/${FIRST_INDEX_NAME}`;
const GENERATION_NAME = /^emails-(\d{8})-[0-9a-z]+\.json$/;

/** An index file's path from its name in `index/`. */
export const indexFilePath = (name: string): string => `${INDEX_DIR}/${name}`;

/** An index file's generation: 0 for `emails.json`, n for `emails-0000000n-….json`; else null. */
export function indexGeneration(name: string): number | null {
  if (name === FIRST_INDEX_NAME) return 0;
  const match = GENERATION_NAME.exec(name);
  return match ? Number(match[1]) : null;
}

/** A new name for index generation `generation` (random, so two writers never pick the same). */
export function indexGenerationName(generation: number): string {
  const suffix = crypto.randomUUID().replace(/-/g, "").slice(0, 12);
  return `emails-${String(generation).padStart(8, "0")}-${suffix}.json`;
}
