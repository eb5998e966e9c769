// The index file of earlier versions (`index/`, see legacy-email-index.ts): its format, read
// without trusting it, and a change applied to its entries. Pure: no storage here.
import type { IndexEntry } from "../../core/stored-email.js";

export interface IndexChange {
  /** Entries added, or replacing the entry with the same savedId. */
  upsert?: IndexEntry[];
  /** savedIds removed. */
  remove?: string[];
}

/** A file handed over to a newer generation: `{schema: 1, supersededBy, entries: []}`. */
export function supersededBy(value: unknown): string | null {
  return isObject(value) && typeof value.supersededBy === "string" ? value.supersededBy : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is IndexEntry {
  return (
    isObject(value) &&
    typeof value.savedId === "string" &&
    typeof value.projectId === "string" &&
    typeof value.savedAt === "string" &&
    typeof value.subject === "string" &&
    Array.isArray(value.to) &&
    typeof value.contentStored === "boolean" &&
    typeof value.sizeBytes === "number"
  );
}

/** The index file's entries, or null when it is not a schema-1 index (then it is rebuilt). */
export function parseEmailIndex(value: unknown): IndexEntry[] | null {
  if (!isObject(value) || value.schema !== 1 || !Array.isArray(value.entries)) return null;
  return value.entries.every(isEntry) ? value.entries : null;
}

export const newestFirst = (a: IndexEntry, b: IndexEntry): number =>
  a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : a.savedId < b.savedId ? -1 : 1;

function sameEntry(a: IndexEntry | undefined, b: IndexEntry): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The entries after `change`, or null when the change is already there (nothing to write). */
export function applyIndexChange(entries: IndexEntry[], change: IndexChange): IndexEntry[] | null {
  const bySavedId = new Map(entries.map((e) => [e.savedId, e]));
  let changed = false;
  for (const savedId of change.remove ?? []) changed = bySavedId.delete(savedId) || changed;
  for (const entry of change.upsert ?? []) {
    if (sameEntry(bySavedId.get(entry.savedId), entry)) continue;
    bySavedId.set(entry.savedId, entry);
    changed = true;
  }
  return changed ? [...bySavedId.values()].sort(newestFirst) : null;
}
