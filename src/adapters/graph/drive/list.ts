// Reading what is stored without its content: one file's metadata, and a folder's files page by
// page (`GET …:/children`, followed through @odata.nextLink exactly as given).
import { SeptError } from "../../../core/errors.js";
import type { StoredFile } from "../../../core/ports/storage.js";
import type { DriveContext } from "./context.js";
import { ITEM_FIELDS, isRecord, malformed, toStoredFile } from "./drive-item.js";
import { parsePath } from "./paths.js";

/** The largest $top a children listing accepts. */
export const MAX_PAGE_SIZE = 999;

/** A file's metadata, or null when there is no such file. */
export async function statFile(
  drive: DriveContext,
  path: string,
  signal?: AbortSignal,
): Promise<StoredFile | null> {
  const segments = parsePath(path, "file");
  await drive.ready(signal);
  try {
    const item: unknown = await drive.call(signal, () =>
      drive.api(drive.pathUrl(segments), signal).select(ITEM_FIELDS).get(),
    );
    return toStoredFile(item, segments.slice(0, -1));
  } catch (error) {
    if (error instanceof SeptError && error.code === "not_found") return null;
    throw error;
  }
}

/** The files (not subfolders) of a folder; none when the folder does not exist. */
export async function listFolder(
  drive: DriveContext,
  pageSize: number,
  folder: string,
  signal?: AbortSignal,
): Promise<StoredFile[]> {
  const segments = parsePath(folder, "folder");
  await drive.ready(signal);
  const first = drive.pathUrl(segments, "children");
  let url: string | null = `${first}?$top=${pageSize}&$select=${ITEM_FIELDS}`;
  const files: StoredFile[] = [];
  for (let page = 0; url !== null; page++) {
    const pageUrl: string = url;
    let body: unknown;
    try {
      body = await drive.call(signal, () => drive.api(pageUrl, signal).get());
    } catch (error) {
      if (page === 0 && error instanceof SeptError && error.code === "not_found") return [];
      throw error;
    }
    if (!isRecord(body) || !Array.isArray(body.value)) throw malformed("a page without value");
    for (const item of body.value) {
      // Files only: subfolders have a `folder` facet instead of `file`.
      if (isRecord(item) && item.file !== undefined) files.push(toStoredFile(item, segments));
    }
    // Followed exactly as given: the link carries the paging state.
    const next = body["@odata.nextLink"];
    url = typeof next === "string" && next !== pageUrl ? next : null;
  }
  return files;
}
