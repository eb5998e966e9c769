// Graph's answers about drive items, parsed once at the boundary into StoredFile.
import { SeptError } from "../../../core/errors.js";
import type { StoredFile } from "../../../core/ports/storage.js";

/** The fields `stat` and `list` ask for. */
export const ITEM_FIELDS = "id,name,size,eTag,createdDateTime,lastModifiedDateTime,file";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function malformed(what: string): SeptError {
  return new SeptError("unknown", { message: `Graph returned ${what}.` });
}

/** Parses a driveItem once, at the boundary; `folder` is the parent path the caller addressed. */
export function toStoredFile(value: unknown, folder: readonly string[]): StoredFile {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.name !== "string") {
    throw malformed("a driveItem without id or name");
  }
  return {
    id: value.id,
    // The server's spelling of the name: OneDrive names are case-insensitive.
    path: [...folder, value.name].join("/"),
    name: value.name,
    size: typeof value.size === "number" ? value.size : 0,
    eTag: typeof value.eTag === "string" ? value.eTag : "",
    lastModified: typeof value.lastModifiedDateTime === "string" ? value.lastModifiedDateTime : "",
    ...(typeof value.createdDateTime === "string" ? { created: value.createdDateTime } : {}),
  };
}

// Naming the media type also lets the SDK's RetryHandler retry the PUT: it skips only
// `application/octet-stream` bodies, assuming a stream; ours is a replayable Blob.
const MEDIA_TYPES: Record<string, string> = {
  json: "application/json",
  eml: "message/rfc822",
  txt: "text/plain",
  csv: "text/csv",
};

export function mediaTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 && MEDIA_TYPES[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}

/** A JSON body read in full; empty or not JSON: null. */
export function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
