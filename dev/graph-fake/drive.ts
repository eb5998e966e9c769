// Drive endpoints (contract §2): the app folder under /me/drive/special/approot and
// /drives/{driveId}/special/approot, items by id, children paging, simple uploads, folders,
// deletes, upload sessions and a minimal delta.
import { GraphError, driveErrors } from "./errors.js";
import {
  INVALID_JSON,
  bytesResponse,
  emptyResponse,
  isRecord,
  jsonResponse,
  parseJsonBody,
  type FakeRequest,
  type FakeResponse,
  type SubjectUser,
} from "./exchange.js";
import { checkPathLength, decodeSegments, validateName } from "./drive-names.js";
import { driveIdOf, type DownloadSigner, type DriveRegistry } from "./drive-registry.js";
import {
  DRIVE_ITEM_FIELDS,
  downloadUrlFor,
  renderItem,
  siteUrlOf,
  type RenderContext,
} from "./drive-json.js";
import {
  eTagOf,
  tagMatches,
  type ConflictBehavior,
  type DriveItemRecord,
  type DriveStore,
} from "./drive-store.js";
import { parseSelect, pick } from "./odata.js";
import type { Route } from "./router.js";
import type { UploadSessions } from "./upload-sessions.js";
import type { FaultConfig } from "./types.js";
import { readFile } from "node:fs/promises";

export const MAX_SIMPLE_UPLOAD_BYTES = 250 * 1024 * 1024;
const DEFAULT_PAGE = 200;
const MAX_PAGE = 999;

export interface DriveEnv extends RenderContext {
  faults(): Readonly<FaultConfig>;
  quotaBytes: number;
  /** Users the fake knows, to find whose OneDrive a `/drives/{id}` names. */
  users(): SubjectUser[];
}

/** A user without a provisioned OneDrive, as observed (msgraph-sdk-dotnet#579). */
export function noOneDrive(): GraphError {
  return new GraphError(404, "itemNotFound", "User's mysite not found.");
}

// Delegated scopes that reach a SharePoint library's drive. Files.ReadWrite.AppFolder does not:
// delegated, it limits a user to their own OneDrive's app folder (Graph, "Using app folder in
// OneDrive and SharePoint", Delegated). Sites.Selected counts only where the library was granted.
const LIBRARY_SCOPES = ["Files.ReadWrite.All", "Sites.ReadWrite.All", "Sites.Manage.All"];
// App-only, Files.ReadWrite.AppFolder reaches every app folder of the app, libraries included.
const LIBRARY_ROLES = ["Files.ReadWrite.AppFolder", "Files.ReadWrite.All", "Sites.ReadWrite.All"];

interface Target {
  drive: DriveStore;
  /** The item the path is relative to (the app folder or an item by id). */
  base: DriveItemRecord;
  /** Decoded path below `base`; empty when the request names `base` itself. */
  segments: string[];
  action: string;
}

const ORDER_FIELDS = ["name", "lastModifiedDateTime", "createdDateTime", "size"] as const;

function conflictBehavior(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  if (value === undefined || value === null) return fallback;
  if (value === "fail" || value === "replace" || value === "rename") return value;
  throw driveErrors.invalid(`Invalid conflict behavior '${String(value)}'.`);
}

function checkSelect(select: string[] | null): void {
  for (const f of select ?? []) {
    if (!(DRIVE_ITEM_FIELDS as readonly string[]).includes(f)) {
      throw driveErrors.invalid(
        `Could not find a property named '${f}' on type 'microsoft.graph.driveItem'.`,
      );
    }
  }
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, "utf8").toString("base64url");
}

function decodeSkipToken(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m) throw driveErrors.invalid("Invalid $skiptoken.");
  return Number(m[1]);
}

export class DriveService {
  constructor(
    private readonly drives: DriveRegistry,
    private readonly signer: DownloadSigner,
    private readonly sessions: UploadSessions,
    private readonly env: DriveEnv,
  ) {}

  routes(): Route[] {
    return [
      {
        methods: ["GET", "PUT", "POST", "DELETE", "PATCH"],
        pattern: /^\/v1\.0\/(?:me\/drive|drives\/([^/]+))(\/.*)?$/,
        scope: "drive",
        drive: true,
        handler: (req, [driveId, rest]) => this.handle(req, driveId ?? "", rest ?? ""),
      },
    ];
  }

  render(drive: DriveStore, r: DriveItemRecord, opts?: { withPath?: boolean }) {
    return renderItem(this.env, drive, r, opts);
  }

  /** The drive a request names: the subject's OneDrive (`/me/drive`), or `/drives/{id}`. */
  private driveOf(req: FakeRequest, rawDriveId: string): DriveStore {
    const user = req.user!;
    if (rawDriveId === "") {
      const subject = req.subject!;
      if (!subject.oneDrive) throw noOneDrive();
      return this.drives.forUser({ sub: subject.id, upn: subject.upn, name: subject.name });
    }
    let driveId: string;
    try {
      driveId = decodeURIComponent(rawDriveId);
    } catch {
      throw driveErrors.notFound("The drive could not be found.");
    }
    const library = this.drives.library(driveId);
    if (library) {
      const granted = user.app ? LIBRARY_ROLES : LIBRARY_SCOPES;
      const selected = library.sitesSelected === true && user.scopes.has("Sites.Selected");
      if (!selected && !granted.some((s) => user.scopes.has(s))) {
        throw driveErrors.accessDenied("Access denied");
      }
      return this.drives.forLibrary(library);
    }
    const owner = this.env.users().find((u) => u.oneDrive && driveIdOf(u.id) === driveId);
    if (!owner) throw driveErrors.notFound("The drive could not be found.");
    // A delegated token reaches its own OneDrive only; an app-only token every user's.
    if (!user.app && owner.id !== user.principalId) throw driveErrors.accessDenied("Access denied");
    return this.drives.forUser({ sub: owner.id, upn: owner.upn, name: owner.name });
  }

  private context(drive: DriveStore, tail: string): string {
    return `${this.env.origin()}/v1.0/$metadata#drives('${drive.driveId}')/${tail}`;
  }

  private async handle(req: FakeRequest, rawDriveId: string, rest: string): Promise<FakeResponse> {
    const drive = this.driveOf(req, rawDriveId);
    if (rest === "" || rest === "/") {
      if (req.method !== "GET") throw driveErrors.invalid("Unsupported method on a drive.");
      return this.driveJson(drive);
    }
    const target = this.parse(drive, rest);
    switch (`${req.method} ${target.action}`) {
      case "GET ":
        return this.getItem(req, target);
      case "GET /children":
        return this.children(req, target);
      case "GET /content":
        return this.content(target);
      case "GET /delta":
        return this.delta(req, target);
      case "PUT /content":
        return this.upload(req, target);
      case "POST /children":
        return this.createFolder(req, target);
      case "POST /createUploadSession":
        return this.createUploadSession(req, target);
      case "DELETE ":
      case "POST /permanentDelete":
        return this.remove(req, target);
      case "PATCH ":
        return this.patch(req, target);
      default:
        throw driveErrors.invalid(
          `'${req.method} ${target.action || "(item)"}' is not supported here.`,
        );
    }
  }

  /** Splits `/special/approot:/a/b:/content` or `/items/{id}/children` into a Target. */
  private parse(drive: DriveStore, rest: string): Target {
    let base: DriveItemRecord | undefined;
    let tail: string;
    const special = /^\/special\/([^/:]+)(.*)$/.exec(rest);
    const byId = /^\/items\/([^/:]+)(.*)$/.exec(rest);
    if (special) {
      // `approot` is case-sensitive; other special folders are outside an AppFolder grant.
      if (special[1] === "approot") base = drive.approot;
      else if (/^(documents|photos|cameraroll|music|recordings)$/.test(special[1] ?? "")) {
        throw driveErrors.accessDenied();
      } else throw driveErrors.invalid(`'${special[1]}' is not a special folder name.`);
      tail = special[2] ?? "";
    } else if (byId) {
      base = drive.get(decodeURIComponent(byId[1] ?? ""));
      if (!base) throw driveErrors.notFound();
      tail = byId[2] ?? "";
    } else if (/^\/root(\W|$)/.test(rest)) {
      throw driveErrors.accessDenied(
        "Files.ReadWrite.AppFolder grants access to the app folder only.",
      );
    } else {
      throw driveErrors.invalid(`Unsupported drive segment '${rest}'.`);
    }
    let rawPath = "";
    let action = tail;
    if (tail.startsWith(":")) {
      const after = tail.slice(1);
      const colon = after.indexOf(":");
      rawPath = colon < 0 ? after : after.slice(0, colon);
      action = colon < 0 ? "" : after.slice(colon + 1);
    }
    action = action.replace(/\/+$/, "").replace(/^\/microsoft\.graph\./, "/");
    if (action !== "" && !/^\/[A-Za-z]+$/.test(action)) {
      throw driveErrors.invalid(`Unsupported path '${rest}'.`, "invalidPath");
    }
    const segments = decodeSegments(rawPath);
    checkPathLength(["Apps", this.env.appFolderName, ...drive.pathOf(base), ...segments].join("/"));
    return { drive, base, segments, action };
  }

  private existing(t: Target): DriveItemRecord {
    t.segments.forEach((s, i) => validateName(s, i < t.segments.length - 1));
    const item = t.drive.resolve(t.base.id, t.segments);
    if (!item) throw driveErrors.notFound();
    return item;
  }

  private driveJson(drive: DriveStore): FakeResponse {
    const total = this.env.quotaBytes;
    const used = drive.used;
    const remaining = Math.max(0, total - used);
    const ratio = used / total;
    return jsonResponse(200, {
      "@odata.context": `${this.env.origin()}/v1.0/$metadata#drives/$entity`,
      createdDateTime: drive.approot.createdDateTime,
      description: "",
      id: drive.driveId,
      lastModifiedDateTime: drive.approot.lastModifiedDateTime,
      name: drive.owner.kind === "library" ? drive.owner.name : "OneDrive",
      webUrl: siteUrlOf(drive),
      driveType: drive.owner.kind === "library" ? "documentLibrary" : "business",
      createdBy: { user: { displayName: "System Account" } },
      owner:
        drive.owner.kind === "library"
          ? { group: { displayName: drive.owner.name } }
          : {
              user: { email: drive.owner.upn, id: drive.owner.sub, displayName: drive.owner.name },
            },
      quota: {
        deleted: 0,
        remaining,
        state:
          ratio >= 1
            ? "exceeded"
            : ratio >= 0.98
              ? "critical"
              : ratio >= 0.9
                ? "nearing"
                : "normal",
        total,
        used,
      },
    });
  }

  private getItem(req: FakeRequest, t: Target): FakeResponse {
    const item = this.existing(t);
    const inm = req.headers["if-none-match"];
    if (inm !== undefined && tagMatches(inm, item))
      return emptyResponse(304, { ETag: eTagOf(item) });
    const select = parseSelect(req.query);
    checkSelect(select);
    return jsonResponse(
      200,
      {
        "@odata.context": this.context(t.drive, "items/$entity"),
        ...pick(this.render(t.drive, item), select),
      },
      { ETag: eTagOf(item) },
    );
  }

  private children(req: FakeRequest, t: Target): FakeResponse {
    const folder = this.existing(t);
    const inm = req.headers["if-none-match"];
    if (inm !== undefined && tagMatches(inm, folder))
      return emptyResponse(304, { ETag: eTagOf(folder) });
    const select = parseSelect(req.query);
    checkSelect(select);
    const rawTop = req.query.get("$top");
    let top = DEFAULT_PAGE;
    if (rawTop !== null) {
      if (!/^\d+$/.test(rawTop)) throw driveErrors.invalid(`Invalid $top '${rawTop}'.`);
      top = Math.min(Math.max(Number(rawTop), 1), MAX_PAGE);
    }
    const rawOrder = req.query.get("$orderby");
    let field: (typeof ORDER_FIELDS)[number] = "name";
    let desc = false;
    if (rawOrder !== null && rawOrder.trim() !== "") {
      const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(rawOrder);
      const f = ORDER_FIELDS.find((x) => x.toLowerCase() === m?.[1]?.toLowerCase());
      if (!m || !f) throw driveErrors.invalid(`Unsupported $orderby '${rawOrder}'.`);
      field = f;
      desc = (m[2] ?? "asc").toLowerCase() === "desc";
    }
    const skipToken = req.query.get("$skiptoken");
    const offset = skipToken === null ? 0 : decodeSkipToken(skipToken);
    const all = folder.folder ? t.drive.listChildren(folder.id, field, desc) : [];
    const page = all.slice(offset, offset + top);
    const selectSuffix = select ? `(${select.join(",")})` : "";
    const body: Record<string, unknown> = {
      "@odata.context": this.context(t.drive, `items('${folder.id}')/children${selectSuffix}`),
      value: page.map((r) => pick(this.render(t.drive, r), select)),
    };
    if (offset + top < all.length) {
      const params = [`$top=${top}`];
      if (select) params.push(`$select=${encodeURIComponent(select.join(","))}`);
      if (rawOrder !== null) params.push(`$orderby=${encodeURIComponent(rawOrder)}`);
      params.push(`$skiptoken=${encodeSkipToken(offset + top)}`);
      body["@odata.nextLink"] = `${this.env.origin()}${req.path}?${params.join("&")}`;
    }
    return jsonResponse(200, body);
  }

  private content(t: Target): FakeResponse {
    const item = this.existing(t);
    if (item.folder) throw driveErrors.invalid("Folders have no content.");
    return emptyResponse(302, { Location: downloadUrlFor(this.env, t.drive, item) });
  }

  private uploadOptions(req: FakeRequest, conflict: ConflictBehavior) {
    const faults = this.env.faults();
    return {
      conflict,
      ifMatch: req.headers["if-match"],
      ifNoneMatch: req.headers["if-none-match"],
      quotaBytes: this.env.quotaBytes,
      quotaFull: Boolean(faults.quotaFull),
    };
  }

  private async upload(req: FakeRequest, t: Target): Promise<FakeResponse> {
    if (req.body.length > MAX_SIMPLE_UPLOAD_BYTES) {
      throw new GraphError(
        413,
        "invalidRequest",
        "Simple uploads are limited to 250 MB; use an upload session.",
        "maxFileSizeExceeded",
      );
    }
    const conflict = conflictBehavior(
      req.query.get("@microsoft.graph.conflictBehavior") ?? undefined,
      "replace",
    );
    const opts = this.uploadOptions(req, conflict);
    const { drive } = t;
    const result = await drive.exclusive(() =>
      t.segments.length === 0
        ? drive.replaceContent(t.base.id, { buffer: req.body }, opts)
        : drive.writeFile(t.base.id, [...t.segments], { buffer: req.body }, opts),
    );
    return jsonResponse(result.created ? 201 : 200, {
      "@odata.context": this.context(drive, "items/$entity"),
      ...this.render(drive, result.item),
    });
  }

  private async createFolder(req: FakeRequest, t: Target): Promise<FakeResponse> {
    const parent = this.existing(t);
    const body = parseJsonBody(req);
    if (body === INVALID_JSON || !isRecord(body))
      throw driveErrors.invalid("A JSON body is required.");
    if (typeof body.name !== "string")
      throw driveErrors.invalid("The property 'name' is required.");
    if (!isRecord(body.folder)) {
      throw driveErrors.invalid('Only folders can be created here: set "folder": {}.');
    }
    const conflict = conflictBehavior(
      body["@microsoft.graph.conflictBehavior"] ??
        req.query.get("@microsoft.graph.conflictBehavior") ??
        undefined,
      "fail",
    );
    const name = body.name;
    const { drive } = t;
    const { item } = await drive.exclusive(() => drive.createFolder(parent.id, name, conflict));
    return jsonResponse(201, {
      "@odata.context": this.context(drive, `items('${parent.id}')/children/$entity`),
      ...this.render(drive, item),
    });
  }

  private createUploadSession(req: FakeRequest, t: Target): FakeResponse {
    const body = parseJsonBody(req);
    if (body === INVALID_JSON) throw driveErrors.invalid("The body is not valid JSON.");
    const item = isRecord(body) && isRecord(body.item) ? body.item : {};
    const conflict = conflictBehavior(item["@microsoft.graph.conflictBehavior"], "replace");
    let baseId = t.base.id;
    let segments = t.segments;
    if (segments.length === 0) {
      // createUploadSession on an existing item replaces its content.
      if (t.base.folder || t.base.parentId === null)
        throw driveErrors.invalid("Name the file to upload.");
      baseId = t.base.parentId;
      segments = [t.base.name];
    }
    segments.forEach((s, i) => validateName(s, i < segments.length - 1));
    const fileSize = typeof item.fileSize === "number" ? item.fileSize : 0;
    if (t.drive.used + fileSize > this.env.quotaBytes) throw driveErrors.quota();
    return this.sessions.create(t.drive, baseId, segments, conflict, req.headers["if-match"]);
  }

  private async remove(req: FakeRequest, t: Target): Promise<FakeResponse> {
    const { drive } = t;
    await drive.exclusive(() => drive.deleteItem(this.existing(t).id, req.headers["if-match"]));
    return emptyResponse(204);
  }

  private async patch(req: FakeRequest, t: Target): Promise<FakeResponse> {
    const body = parseJsonBody(req);
    if (body === INVALID_JSON || !isRecord(body))
      throw driveErrors.invalid("A JSON body is required.");
    if (body.parentReference !== undefined)
      throw new GraphError(400, "notSupported", "Moving items is not supported by the fake.");
    if (typeof body.name !== "string") throw driveErrors.invalid("Only 'name' can be changed.");
    const name = body.name;
    const { drive } = t;
    const item = await drive.exclusive(() =>
      drive.renameItem(this.existing(t).id, name, req.headers["if-match"]),
    );
    return jsonResponse(200, {
      "@odata.context": this.context(drive, "items/$entity"),
      ...this.render(drive, item),
    });
  }

  private delta(req: FakeRequest, t: Target): FakeResponse {
    const folder = this.existing(t);
    const token = req.query.get("token");
    const { drive } = t;
    const link = (seq: number) =>
      `${this.env.origin()}${req.path}?token=${Buffer.from(`seq:${seq}`).toString("base64url")}`;
    if (token === "latest") {
      return jsonResponse(200, { value: [], "@odata.deltaLink": link(drive.currentSeq) });
    }
    let since = -1;
    if (token !== null) {
      const m = /^seq:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
      if (!m) {
        throw new GraphError(
          410,
          "resyncRequired",
          "The delta token is not valid; resync.",
          "resyncChangesApplyDifferences",
          {
            Location: `${this.env.origin()}${req.path}`,
          },
        );
      }
      since = Number(m[1]);
    }
    const inside = (r: DriveItemRecord) => {
      for (
        let cur: DriveItemRecord | undefined = r;
        cur;
        cur = cur.parentId ? drive.get(cur.parentId) : undefined
      ) {
        if (cur.id === folder.id) return true;
      }
      return false;
    };
    const changes = drive.changesSince(since);
    const value: unknown[] = changes.items
      .filter(inside)
      .map((r) => this.render(drive, r, { withPath: false }));
    for (const d of changes.deleted) {
      value.push({
        id: d.id,
        deleted: { state: "deleted" },
        parentReference: { driveType: "business", driveId: drive.driveId, id: d.parentId },
      });
    }
    return jsonResponse(200, {
      "@odata.context": this.context(drive, "items"),
      value,
      "@odata.deltaLink": link(drive.currentSeq),
    });
  }

  /** GET {storage}/_download/{token}: no Authorization needed, expires after about an hour. */
  async download(token: string): Promise<FakeResponse> {
    const verdict = this.signer.verify(token);
    if (verdict === null)
      throw new GraphError(401, "unauthenticated", "The download URL is not valid.");
    if (verdict === "expired")
      throw new GraphError(401, "unauthenticated", "The download URL has expired.");
    const drive = this.drives.byKey(verdict.userKey);
    const item = drive?.get(verdict.itemId);
    if (!drive || !item || item.folder) throw driveErrors.notFound();
    let bytes: Buffer;
    try {
      bytes = await readFile(drive.contentPath(item.id));
    } catch {
      throw driveErrors.notFound();
    }
    return bytesResponse(200, bytes, item.mimeType ?? "application/octet-stream", {
      ETag: eTagOf(item),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
    });
  }
}
