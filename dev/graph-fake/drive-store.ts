// One drive's app folder: metadata in memory (tens of thousands of items list fast), persisted as a
// snapshot plus an append-only journal, content as one file per item id. Every mutation runs in
// `exclusive`, so check-and-set (If-Match, conflict behaviour, quota) cannot race.
//
// As OneDrive and SharePoint do: overwriting a file keeps the previous content as a version
// (content/{id}@{versionId}); DELETE moves the item, with its versions, to the recycle bin, where it
// still counts against quota (onedrive-api-docs, driveitem_delete.md); only permanentDelete (or an
// emptied recycle bin) removes bytes for good (graph docs, driveitem-permanentdelete.md).
import { randomBytes, randomUUID } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { link, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { driveErrors, isoSeconds } from "./errors.js";
import { mimeTypeFor, renameCandidate, validateName } from "./drive-names.js";

export interface DriveItemRecord {
  id: string;
  /** Stable GUID inside eTag/cTag. */
  guid: string;
  name: string;
  /** Null only for the app folder itself. */
  parentId: string | null;
  folder: boolean;
  size: number;
  mimeType: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  etagVersion: number;
  ctagVersion: number;
  changeSeq: number;
  /** Earlier versions of a file's content, oldest first (the current one is the record itself). */
  versions?: VersionRecord[];
}

/** A previous version of a file, as `…/versions` lists it; content at `content/{itemId}@{id}`. */
export interface VersionRecord {
  /** "1.0", "2.0", … as OneDrive for Business numbers major versions. */
  id: string;
  size: number;
  lastModifiedDateTime: string;
}

/** An item in the recycle bin, with where it was and when it went there. */
export interface RecycledItem {
  record: DriveItemRecord;
  /** Path below the app folder when deleted, e.g. "emails/2026/a.eml". */
  originalPath: string;
  deletedDateTime: string;
  /** Id of the item the DELETE named (its descendants went with it). */
  deletedWith: string;
}

export interface DriveOwner {
  /** The user id (`oid`, else `sub`) for a OneDrive; `library:{slug}` for a SharePoint library. */
  sub: string;
  upn: string;
  /** The user's display name, or the library's name. */
  name: string;
  /** "library": an admin-chosen SharePoint document library shared by its users. */
  kind?: "personal" | "library";
}

export interface Tombstone {
  id: string;
  parentId: string | null;
  seq: number;
}

export type ConflictBehavior = "fail" | "replace" | "rename";

export interface WriteOptions {
  conflict: ConflictBehavior;
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  quotaBytes: number;
  quotaFull: boolean;
}

export type ContentSource = { buffer: Buffer } | { file: string; size: number };

interface Snapshot {
  version: 1;
  owner: DriveOwner;
  driveId: string;
  approotId: string;
  seq: number;
  items: DriveItemRecord[];
  tombstones: Tombstone[];
  recycleBin?: RecycledItem[];
}

type JournalEntry =
  | { op: "put"; item: DriveItemRecord }
  | { op: "del"; id: string; parentId: string | null; seq: number }
  | { op: "bin"; entry: RecycledItem; seq: number }
  | { op: "unbin"; id: string };

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const COMPACT_AFTER_LINES = 20_000;

export function versionIdOf(ctagVersion: number): string {
  return `${ctagVersion}.0`;
}

/** OneDrive-for-Business-like item id: "01" + 32 base32 characters. */
function newItemId(): string {
  const bytes = randomBytes(32);
  let id = "01";
  for (let i = 0; i < 32; i++) id += BASE32[(bytes[i] ?? 0) & 31];
  return id;
}

/** Bytes a record holds: its content and every earlier version. */
function bytesOf(r: DriveItemRecord): number {
  if (r.folder) return 0;
  return r.size + (r.versions ?? []).reduce((n, v) => n + v.size, 0);
}

export function eTagOf(r: DriveItemRecord): string {
  return `"{${r.guid}},${r.etagVersion}"`;
}

export function cTagOf(r: DriveItemRecord): string {
  return `"c:{${r.guid}},${r.ctagVersion}"`;
}

function unquote(tag: string): string {
  return tag
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
}

export function tagMatches(header: string, r: DriveItemRecord): boolean {
  if (header.trim() === "*") return true;
  const want = unquote(header);
  return want === unquote(eTagOf(r)) || (!r.folder && want === unquote(cTagOf(r)));
}

export class DriveStore {
  readonly driveId: string;
  readonly owner: DriveOwner;
  readonly approotId: string;
  private readonly items = new Map<string, DriveItemRecord>();
  private readonly children = new Map<string, Map<string, string>>();
  private readonly sorted = new Map<string, Map<string, DriveItemRecord[]>>();
  private tombstones: Tombstone[] = [];
  private readonly bin = new Map<string, RecycledItem>();
  private seq = 0;
  /** Current content of live files. */
  private usedBytes = 0;
  /** Earlier versions of live files. */
  private versionBytes = 0;
  /** Files (and their versions) in the recycle bin. */
  private binBytes = 0;
  private journalLines = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly journalPath: string;
  private readonly snapshotPath: string;
  private readonly contentDir: string;

  constructor(
    readonly dir: string,
    owner: DriveOwner,
    driveId: string,
    appFolderName: string,
  ) {
    this.journalPath = join(dir, "journal.jsonl");
    this.snapshotPath = join(dir, "state.json");
    this.contentDir = join(dir, "content");
    mkdirSync(this.contentDir, { recursive: true });
    const loaded = this.load();
    this.owner = loaded?.owner ?? owner;
    this.driveId = loaded?.driveId ?? driveId;
    if (loaded && this.items.has(loaded.approotId)) {
      this.approotId = loaded.approotId;
    } else {
      // First use creates Apps/{app name}, as Graph does on the first approot call.
      const now = isoSeconds();
      const root: DriveItemRecord = {
        id: newItemId(),
        guid: randomUUID().toUpperCase(),
        name: appFolderName,
        parentId: null,
        folder: true,
        size: 0,
        mimeType: null,
        createdDateTime: now,
        lastModifiedDateTime: now,
        etagVersion: 1,
        ctagVersion: 1,
        changeSeq: 0,
      };
      this.approotId = root.id;
      this.index(root);
    }
    this.compact();
  }

  // ---- persistence -------------------------------------------------------------------------

  private load(): Snapshot | null {
    let snap: Snapshot | null = null;
    if (existsSync(this.snapshotPath)) {
      snap = JSON.parse(readFileSync(this.snapshotPath, "utf8")) as Snapshot;
      for (const item of snap.items) this.index(item);
      this.tombstones = snap.tombstones;
      for (const entry of snap.recycleBin ?? []) this.binAdd(entry);
      this.seq = snap.seq;
    }
    if (existsSync(this.journalPath)) {
      for (const line of readFileSync(this.journalPath, "utf8").split("\n")) {
        if (!line.trim()) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          break; // A torn last line from a crash: everything before it is good.
        }
        if (entry.op === "put") {
          this.index(entry.item);
          this.seq = Math.max(this.seq, entry.item.changeSeq);
        } else if (entry.op === "bin") {
          this.unindex(entry.entry.record.id);
          this.binAdd(entry.entry);
          this.tombstones.push({
            id: entry.entry.record.id,
            parentId: entry.entry.record.parentId,
            seq: entry.seq,
          });
          this.seq = Math.max(this.seq, entry.seq);
        } else if (entry.op === "unbin") {
          this.binRemove(entry.id);
        } else {
          this.unindex(entry.id);
          this.tombstones.push({ id: entry.id, parentId: entry.parentId, seq: entry.seq });
          this.seq = Math.max(this.seq, entry.seq);
        }
      }
    }
    return snap;
  }

  /** Writes a snapshot and empties the journal. */
  compact(): void {
    const snap: Snapshot = {
      version: 1,
      owner: this.owner,
      driveId: this.driveId,
      approotId: this.approotId,
      seq: this.seq,
      items: [...this.items.values()],
      tombstones: this.tombstones,
      recycleBin: [...this.bin.values()],
    };
    const tmp = `${this.snapshotPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(snap));
    renameSync(tmp, this.snapshotPath);
    writeFileSync(this.journalPath, "");
    this.journalLines = 0;
  }

  private journal(entry: JournalEntry): void {
    appendFileSync(this.journalPath, JSON.stringify(entry) + "\n");
    if (++this.journalLines >= COMPACT_AFTER_LINES) this.compact();
  }

  // ---- indexes -----------------------------------------------------------------------------

  private index(r: DriveItemRecord): void {
    const old = this.items.get(r.id);
    if (old) this.unindex(r.id);
    this.items.set(r.id, r);
    if (!r.folder) this.usedBytes += r.size;
    for (const v of r.versions ?? []) this.versionBytes += v.size;
    if (r.parentId !== null) {
      let kids = this.children.get(r.parentId);
      if (!kids) this.children.set(r.parentId, (kids = new Map()));
      kids.set(r.name.toLowerCase(), r.id);
      this.sorted.delete(r.parentId);
    }
  }

  private unindex(id: string): void {
    const r = this.items.get(id);
    if (!r) return;
    this.items.delete(id);
    if (!r.folder) this.usedBytes -= r.size;
    for (const v of r.versions ?? []) this.versionBytes -= v.size;
    if (r.parentId !== null) {
      this.children.get(r.parentId)?.delete(r.name.toLowerCase());
      this.sorted.delete(r.parentId);
    }
  }

  /** Stores a new version of a record and journals it. */
  private commit(r: DriveItemRecord): DriveItemRecord {
    r.changeSeq = ++this.seq;
    this.index(r);
    this.journal({ op: "put", item: r });
    return r;
  }

  private touch(id: string | null): void {
    const r = id === null ? undefined : this.items.get(id);
    if (!r) return;
    this.commit({ ...r, etagVersion: r.etagVersion + 1, lastModifiedDateTime: isoSeconds() });
  }

  private binAdd(entry: RecycledItem): void {
    this.bin.set(entry.record.id, entry);
    this.binBytes += bytesOf(entry.record);
  }

  private binRemove(id: string): RecycledItem | undefined {
    const entry = this.bin.get(id);
    if (!entry) return undefined;
    this.bin.delete(id);
    this.binBytes -= bytesOf(entry.record);
    return entry;
  }

  /** Removes an item's content and every version of it from disk. */
  private eraseContent(r: DriveItemRecord): void {
    if (r.folder) return;
    rmSync(this.contentPath(r.id), { force: true });
    for (const v of r.versions ?? []) rmSync(this.versionPath(r.id, v.id), { force: true });
  }

  /** Removes an item, its descendants and all their versions for good. */
  private removeTree(id: string): void {
    const r = this.items.get(id);
    if (!r) return;
    for (const childId of [...(this.children.get(id)?.values() ?? [])]) this.removeTree(childId);
    this.children.delete(id);
    this.unindex(id);
    this.eraseContent(r);
    const seq = ++this.seq;
    this.tombstones.push({ id, parentId: r.parentId, seq });
    this.journal({ op: "del", id, parentId: r.parentId, seq });
  }

  /** Moves an item and its descendants to the recycle bin (content and versions kept). */
  private recycleTree(id: string, deletedWith: string, deletedDateTime: string): void {
    const r = this.items.get(id);
    if (!r) return;
    const originalPath = this.pathOf(r).join("/");
    for (const childId of [...(this.children.get(id)?.values() ?? [])]) {
      this.recycleTree(childId, deletedWith, deletedDateTime);
    }
    this.children.delete(id);
    this.unindex(id);
    const entry: RecycledItem = { record: r, originalPath, deletedDateTime, deletedWith };
    this.binAdd(entry);
    const seq = ++this.seq;
    this.tombstones.push({ id, parentId: r.parentId, seq });
    this.journal({ op: "bin", entry, seq });
  }

  // ---- reads -------------------------------------------------------------------------------

  get(id: string): DriveItemRecord | undefined {
    return this.items.get(id);
  }

  get approot(): DriveItemRecord {
    return this.items.get(this.approotId)!;
  }

  /** Bytes counted against quota: live files, their versions, and the recycle bin. */
  get used(): number {
    return this.usedBytes + this.versionBytes + this.binBytes;
  }

  /** Bytes in the recycle bin (the drive's `quota.deleted`). */
  get deletedBytes(): number {
    return this.binBytes;
  }

  /** The recycle bin, most recently deleted first. */
  recycleBin(): RecycledItem[] {
    return [...this.bin.values()].sort((a, b) =>
      a.deletedDateTime < b.deletedDateTime ? 1 : a.deletedDateTime > b.deletedDateTime ? -1 : 0,
    );
  }

  /** Every live item (the app folder included). */
  liveItems(): DriveItemRecord[] {
    return [...this.items.values()];
  }

  versionPath(id: string, versionId: string): string {
    return join(this.contentDir, `${id}@${versionId}`);
  }

  get currentSeq(): number {
    return this.seq;
  }

  contentPath(id: string): string {
    return join(this.contentDir, id);
  }

  childCount(id: string): number {
    return this.children.get(id)?.size ?? 0;
  }

  /** Total size of the files below a folder (OneDrive reports folder size that way). */
  treeSize(id: string): number {
    const r = this.items.get(id);
    if (!r) return 0;
    if (id === this.approotId) return this.usedBytes;
    if (!r.folder) return r.size;
    let total = 0;
    for (const childId of this.children.get(id)?.values() ?? []) total += this.treeSize(childId);
    return total;
  }

  childByName(parentId: string, name: string): DriveItemRecord | undefined {
    const id = this.children.get(parentId)?.get(name.toLowerCase());
    return id === undefined ? undefined : this.items.get(id);
  }

  resolve(baseId: string, segments: string[]): DriveItemRecord | undefined {
    let cur = this.items.get(baseId);
    for (const seg of segments) {
      if (!cur?.folder) return undefined;
      cur = this.childByName(cur.id, seg);
    }
    return cur;
  }

  /** Names from the app folder (exclusive) down to the item (inclusive). */
  pathOf(r: DriveItemRecord): string[] {
    const names: string[] = [];
    let cur: DriveItemRecord | undefined = r;
    while (cur && cur.id !== this.approotId) {
      names.unshift(cur.name);
      cur = cur.parentId === null ? undefined : this.items.get(cur.parentId);
    }
    return names;
  }

  /** Children sorted by a field; the sorted array is cached until the folder changes. */
  listChildren(
    parentId: string,
    field: "name" | "lastModifiedDateTime" | "createdDateTime" | "size",
    desc: boolean,
  ): DriveItemRecord[] {
    const key = `${field} ${desc ? "desc" : "asc"}`;
    let perParent = this.sorted.get(parentId);
    const hit = perParent?.get(key);
    if (hit) return hit;
    const list: DriveItemRecord[] = [];
    for (const id of this.children.get(parentId)?.values() ?? []) {
      const r = this.items.get(id);
      if (r) list.push(r);
    }
    const byName = (a: DriveItemRecord, b: DriveItemRecord) => {
      const x = a.name.toLowerCase();
      const y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    };
    list.sort((a, b) => {
      let c = 0;
      if (field === "size") c = a.size - b.size;
      else if (field !== "name") c = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0;
      if (c === 0) c = byName(a, b);
      return desc ? -c : c;
    });
    if (!perParent) this.sorted.set(parentId, (perParent = new Map()));
    perParent.set(key, list);
    return list;
  }

  /** Items and tombstones changed after `sinceSeq`, oldest change first. */
  changesSince(sinceSeq: number): { items: DriveItemRecord[]; deleted: Tombstone[] } {
    const items = [...this.items.values()]
      .filter((r) => r.changeSeq > sinceSeq || (sinceSeq < 0 && r.id === this.approotId))
      .sort((a, b) => a.changeSeq - b.changeSeq);
    const liveIds = new Set(items.map((r) => r.id));
    const deleted = this.tombstones.filter(
      (t) => t.seq > sinceSeq && !this.items.has(t.id) && !liveIds.has(t.id),
    );
    return { items, deleted };
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Runs `fn` after every earlier mutation of this drive has finished. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(() => fn());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private newRecord(
    name: string,
    parentId: string,
    folder: boolean,
    size: number,
  ): DriveItemRecord {
    const now = isoSeconds();
    return {
      id: newItemId(),
      guid: randomUUID().toUpperCase(),
      name,
      parentId,
      folder,
      size: folder ? 0 : size,
      mimeType: folder ? null : mimeTypeFor(name),
      createdDateTime: now,
      lastModifiedDateTime: now,
      etagVersion: 1,
      ctagVersion: 1,
      changeSeq: 0,
    };
  }

  private freeName(parentId: string, name: string): string {
    for (let n = 1; ; n++) {
      const candidate = renameCandidate(name, n);
      if (!this.childByName(parentId, candidate)) return candidate;
    }
  }

  /** Creates or replaces a file at `segments` below `baseId` (call inside `exclusive`). */
  async writeFile(
    baseId: string,
    segments: string[],
    source: ContentSource,
    opts: WriteOptions,
  ): Promise<{ item: DriveItemRecord; created: boolean }> {
    const name = segments[segments.length - 1];
    if (name === undefined) throw driveErrors.invalid("A file name is required.", "invalidPath");
    validateName(name, false);
    segments.slice(0, -1).forEach((s) => validateName(s, true));
    const size = "buffer" in source ? source.buffer.length : source.size;

    // Walk the existing part of the path; missing folders are created only once checks pass.
    let parent = this.items.get(baseId);
    if (!parent) throw driveErrors.notFound();
    let depth = 0;
    for (; depth < segments.length - 1; depth++) {
      const next = this.childByName(parent.id, segments[depth]!);
      if (!next) break;
      if (!next.folder) throw driveErrors.conflict(`'${next.name}' is a file, not a folder.`);
      parent = next;
    }
    if (!parent.folder) throw driveErrors.invalid("The parent is not a folder.");
    const parentComplete = depth === segments.length - 1;
    let existing = parentComplete ? this.childByName(parent.id, name) : undefined;

    if (existing?.folder) throw driveErrors.conflict("A folder with the same name already exists.");
    if (opts.ifNoneMatch !== undefined && existing && tagMatches(opts.ifNoneMatch, existing)) {
      throw driveErrors.preconditionFailed();
    }
    if (opts.ifMatch !== undefined && (!existing || !tagMatches(opts.ifMatch, existing))) {
      throw driveErrors.preconditionFailed();
    }
    let finalName = name;
    if (existing && opts.conflict === "fail") throw driveErrors.conflict();
    if (existing && opts.conflict === "rename") {
      finalName = this.freeName(parent.id, name);
      existing = undefined;
    }
    // Replacing keeps the old content as a version, so it frees nothing.
    if (opts.quotaFull || this.used + size > opts.quotaBytes) throw driveErrors.quota();

    for (; depth < segments.length - 1; depth++) {
      const folder = this.commit(this.newRecord(segments[depth]!, parent.id, true, 0));
      this.touch(parent.id);
      parent = folder;
    }

    const record: DriveItemRecord = existing
      ? {
          ...existing,
          size,
          etagVersion: existing.etagVersion + 1,
          ctagVersion: existing.ctagVersion + 1,
          lastModifiedDateTime: isoSeconds(),
          versions: [
            ...(existing.versions ?? []),
            {
              id: versionIdOf(existing.ctagVersion),
              size: existing.size,
              lastModifiedDateTime: existing.lastModifiedDateTime,
            },
          ],
        }
      : this.newRecord(finalName, parent.id, false, size);
    const target = this.contentPath(record.id);
    if (existing) {
      // The current content becomes the previous version: a second name for the same bytes, so
      // the item's content is never missing (reads are not `exclusive`; a download during an
      // overwrite gets the old bytes or the new ones, never a 404). Graph documents a download
      // as the item's primary stream while the item exists (driveitem-get-content.md), and
      // older versions as their own resource (driveitemversion-get-contents.md); no document
      // describes an item whose content is briefly absent.
      await link(target, this.versionPath(record.id, versionIdOf(existing.ctagVersion)));
    }
    // Then the new content takes the name in one atomic rename.
    if ("buffer" in source) {
      const tmp = `${target}.${randomUUID()}.tmp`;
      await writeFile(tmp, source.buffer);
      await rename(tmp, target);
    } else {
      await rename(source.file, target);
    }
    const item = this.commit(record);
    this.touch(parent.id);
    return { item, created: !existing };
  }

  /** Replaces the content of an existing file by id (PUT /items/{id}/content). */
  async replaceContent(id: string, source: ContentSource, opts: WriteOptions) {
    const r = this.items.get(id);
    if (!r) throw driveErrors.notFound();
    if (r.folder || r.parentId === null) throw driveErrors.invalid("The target is a folder.");
    const parent = this.items.get(r.parentId)!;
    return this.writeFile(parent.id, [r.name], source, { ...opts, conflict: "replace" });
  }

  createFolder(parentId: string, name: string, conflict: ConflictBehavior) {
    validateName(name, true);
    const parent = this.items.get(parentId);
    if (!parent) throw driveErrors.notFound();
    if (!parent.folder) throw driveErrors.invalid("The parent is not a folder.");
    let finalName = name;
    const existing = this.childByName(parentId, name);
    if (existing) {
      if (conflict === "fail") throw driveErrors.conflict();
      if (conflict === "rename") finalName = this.freeName(parentId, name);
      else this.removeTree(existing.id);
    }
    const item = this.commit(this.newRecord(finalName, parentId, true, 0));
    this.touch(parentId);
    return { item, created: true };
  }

  /** DELETE: the item and its descendants go to the recycle bin. */
  deleteItem(id: string, ifMatch: string | undefined): void {
    const r = this.items.get(id);
    if (!r) throw driveErrors.notFound();
    if (r.id === this.approotId) throw driveErrors.accessDenied("The app folder can't be deleted.");
    if (ifMatch !== undefined && !tagMatches(ifMatch, r)) throw driveErrors.preconditionFailed();
    this.recycleTree(id, id, new Date().toISOString());
    this.touch(r.parentId);
  }

  /** permanentDelete: the item, its descendants and all their versions are gone for good. */
  permanentlyDelete(id: string, ifMatch: string | undefined): void {
    const r = this.items.get(id);
    if (!r) throw driveErrors.notFound();
    if (r.id === this.approotId) throw driveErrors.accessDenied("The app folder can't be deleted.");
    if (ifMatch !== undefined && !tagMatches(ifMatch, r)) throw driveErrors.preconditionFailed();
    this.removeTree(id);
    this.touch(r.parentId);
  }

  /** Empties the recycle bin (all of it, or the entries one DELETE put there). */
  purgeRecycleBin(deletedWith?: string): number {
    let n = 0;
    for (const entry of [...this.bin.values()]) {
      if (deletedWith !== undefined && entry.deletedWith !== deletedWith) continue;
      this.binRemove(entry.record.id);
      this.eraseContent(entry.record);
      this.journal({ op: "unbin", id: entry.record.id });
      n++;
    }
    return n;
  }

  /** Puts what one DELETE sent to the recycle bin back where it was (parents must still exist). */
  restore(deletedWith: string): DriveItemRecord {
    const entries = [...this.bin.values()].filter((e) => e.deletedWith === deletedWith);
    const top = entries.find((e) => e.record.id === deletedWith);
    if (!top) throw driveErrors.notFound("Not in the recycle bin.");
    const parentId = top.record.parentId;
    if (parentId === null || !this.items.has(parentId)) {
      throw driveErrors.conflict("The original folder no longer exists.");
    }
    if (this.childByName(parentId, top.record.name)) throw driveErrors.conflict();
    // Parents before children, so every child finds its folder.
    const ordered = entries.sort(
      (a, b) => a.originalPath.split("/").length - b.originalPath.split("/").length,
    );
    for (const e of ordered) {
      this.binRemove(e.record.id);
      this.journal({ op: "unbin", id: e.record.id });
      this.commit({ ...e.record });
    }
    this.touch(parentId);
    return this.items.get(deletedWith)!;
  }

  renameItem(id: string, newName: string, ifMatch: string | undefined): DriveItemRecord {
    const r = this.items.get(id);
    if (!r) throw driveErrors.notFound();
    if (r.id === this.approotId) throw driveErrors.accessDenied("The app folder can't be renamed.");
    if (ifMatch !== undefined && !tagMatches(ifMatch, r)) throw driveErrors.preconditionFailed();
    validateName(newName, r.folder);
    const clash = this.childByName(r.parentId!, newName);
    if (clash && clash.id !== id) throw driveErrors.conflict();
    this.unindex(id);
    const item = this.commit({
      ...r,
      name: newName,
      etagVersion: r.etagVersion + 1,
      lastModifiedDateTime: isoSeconds(),
    });
    this.touch(r.parentId);
    return item;
  }
}
