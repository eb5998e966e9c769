// driveItem JSON as Graph returns it (contract §2 "driveItem shape").
import type { DownloadSigner } from "./drive-registry.js";
import { userKeyOf } from "./drive-registry.js";
import { cTagOf, eTagOf, type DriveItemRecord, type DriveStore } from "./drive-store.js";

export interface RenderContext {
  /** https://localhost:PORT (Graph). */
  origin(): string;
  /** https://127.0.0.1:PORT (pre-authenticated download and upload URLs). */
  storageOrigin(): string;
  signer: DownloadSigner;
  appFolderName: string;
}

export const DRIVE_ITEM_FIELDS = [
  "@microsoft.graph.downloadUrl",
  "createdDateTime",
  "eTag",
  "id",
  "lastModifiedDateTime",
  "name",
  "webUrl",
  "cTag",
  "size",
  "createdBy",
  "lastModifiedBy",
  "parentReference",
  "file",
  "fileSystemInfo",
  "folder",
  "specialFolder",
] as const;

export function downloadUrlFor(ctx: RenderContext, drive: DriveStore, r: DriveItemRecord): string {
  return `${ctx.storageOrigin()}/_download/${ctx.signer.sign(userKeyOf(drive.owner.sub), r.id)}`;
}

/** The web address of a drive's root: a user's OneDrive, or a library in its site. */
export function siteUrlOf(drive: DriveStore): string {
  if (drive.owner.kind === "library") {
    const slug = drive.owner.sub.replace(/^library:/, "");
    return `https://contoso.sharepoint.com/sites/${slug}/${encodeURIComponent(drive.owner.name)}`;
  }
  return `https://contoso-my.sharepoint.com/personal/${drive.owner.upn.replace(/[@.]/g, "_")}/Documents`;
}

export function renderItem(
  ctx: RenderContext,
  drive: DriveStore,
  r: DriveItemRecord,
  opts: { withPath?: boolean } = {},
): Record<string, unknown> {
  const withPath = opts.withPath ?? true;
  const segments = drive.pathOf(r);
  const approotPath = `/drive/root:/Apps/${ctx.appFolderName}`;
  const user = {
    user: { email: drive.owner.upn, id: drive.owner.sub, displayName: drive.owner.name },
  };
  const parent = r.parentId === null ? undefined : drive.get(r.parentId);
  const parentReference: Record<string, unknown> = {
    driveType: drive.owner.kind === "library" ? "documentLibrary" : "business",
    driveId: drive.driveId,
    id: parent?.id ?? `${drive.approotId.slice(0, 10)}APPSFOLDER`,
    name: parent ? parent.name : "Apps",
  };
  if (withPath) {
    parentReference.path = parent
      ? [approotPath, ...segments.slice(0, -1)].join("/")
      : "/drive/root:/Apps";
  }
  const site = siteUrlOf(drive);
  const webUrl = [site, "Apps", ctx.appFolderName, ...segments]
    .map((s, i) => (i === 0 ? s : encodeURIComponent(s)))
    .join("/");
  const json: Record<string, unknown> = {};
  if (!r.folder) json["@microsoft.graph.downloadUrl"] = downloadUrlFor(ctx, drive, r);
  Object.assign(json, {
    createdDateTime: r.createdDateTime,
    eTag: eTagOf(r),
    id: r.id,
    lastModifiedDateTime: r.lastModifiedDateTime,
    name: r.name,
    webUrl,
  });
  if (!r.folder) json.cTag = cTagOf(r);
  json.size = r.folder ? drive.treeSize(r.id) : r.size;
  json.createdBy = user;
  json.lastModifiedBy = user;
  json.parentReference = parentReference;
  if (r.folder) json.folder = { childCount: drive.childCount(r.id) };
  else json.file = { mimeType: r.mimeType ?? "application/octet-stream" };
  json.fileSystemInfo = {
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
  };
  if (r.id === drive.approotId) json.specialFolder = { name: "approot" };
  return json;
}
