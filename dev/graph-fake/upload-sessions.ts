// Resumable upload sessions (contract §2 "Upload sessions"). The upload URL is on 127.0.0.1, not
// localhost, so the Graph SDK (customHosts: localhost) does not attach the bearer, as with the
// real pre-authenticated URLs; a request that does carry Authorization gets a 401.
import { randomBytes } from "node:crypto";
import { appendFile, rm } from "node:fs/promises";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GraphError, driveErrors, isoSeconds } from "./errors.js";
import { emptyResponse, jsonResponse, type FakeRequest, type FakeResponse } from "./exchange.js";
import type { DriveRegistry } from "./drive-registry.js";
import { userKeyOf } from "./drive-registry.js";
import type { ConflictBehavior, DriveItemRecord, DriveStore } from "./drive-store.js";
import type { FaultConfig } from "./types.js";

export const FRAGMENT_MULTIPLE = 327_680;
export const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;
const SESSION_TTL_MS = 15 * 60_000;

interface SessionState {
  id: string;
  userKey: string;
  baseId: string;
  segments: string[];
  conflict: ConflictBehavior;
  ifMatch?: string;
  total: number | null;
  next: number;
  expirationDateTime: string;
}

export interface UploadEnv {
  origin(): string;
  storageOrigin(): string;
  faults(): Readonly<FaultConfig>;
  quotaBytes: number;
  render(drive: DriveStore, item: DriveItemRecord): Record<string, unknown>;
}

export class UploadSessions {
  private readonly sessions = new Map<string, SessionState>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly drives: DriveRegistry,
    private readonly env: UploadEnv,
  ) {
    this.dir = join(dataDir, "upload-sessions");
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".json")) continue;
      try {
        const s = JSON.parse(readFileSync(join(this.dir, name), "utf8")) as SessionState;
        this.sessions.set(s.id, s);
      } catch {
        // A half-written session file: the client will get 404 and start over.
      }
    }
  }

  private partPath(id: string): string {
    return join(this.dir, `${id}.part`);
  }

  private save(s: SessionState): void {
    writeFileSync(join(this.dir, `${s.id}.json`), JSON.stringify(s));
  }

  private async drop(id: string): Promise<void> {
    this.sessions.delete(id);
    await rm(join(this.dir, `${id}.json`), { force: true });
    await rm(this.partPath(id), { force: true });
  }

  wipe(): void {
    this.sessions.clear();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  create(
    drive: DriveStore,
    baseId: string,
    segments: string[],
    conflict: ConflictBehavior,
    ifMatch: string | undefined,
  ): FakeResponse {
    const userKey = userKeyOf(drive.owner.sub);
    if (this.env.faults().quotaFull) throw driveErrors.quota();
    if (this.env.faults().concurrentUploadConflict) {
      const same = (s: SessionState) =>
        s.userKey === userKey &&
        s.baseId === baseId &&
        s.next > 0 &&
        s.segments.join("/").toLowerCase() === segments.join("/").toLowerCase();
      if ([...this.sessions.values()].some((s) => same(s) && !this.expired(s))) {
        throw driveErrors.conflict("Another upload to this path is in progress.");
      }
    }
    const s: SessionState = {
      id: randomBytes(24).toString("base64url"),
      userKey,
      baseId,
      segments,
      conflict,
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      total: null,
      next: 0,
      expirationDateTime: isoSeconds(new Date(Date.now() + SESSION_TTL_MS)),
    };
    this.sessions.set(s.id, s);
    this.save(s);
    writeFileSync(this.partPath(s.id), "");
    return jsonResponse(200, {
      "@odata.context": `${this.env.origin()}/v1.0/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `${this.env.storageOrigin()}/_upload/${s.id}`,
      expirationDateTime: s.expirationDateTime,
      nextExpectedRanges: ["0-"],
    });
  }

  private expired(s: SessionState): boolean {
    return Date.parse(s.expirationDateTime) < Date.now();
  }

  private status(s: SessionState, code = 200): FakeResponse {
    return jsonResponse(code, {
      expirationDateTime: s.expirationDateTime,
      nextExpectedRanges: [`${s.next}-`],
    });
  }

  /** PUT / GET / DELETE on an upload URL. */
  async handle(req: FakeRequest, id: string): Promise<FakeResponse> {
    if (req.headers.authorization !== undefined) {
      throw new GraphError(
        401,
        "unauthenticated",
        "Upload URLs are pre-authenticated; don't send Authorization.",
      );
    }
    const s = this.sessions.get(id);
    if (!s || this.expired(s)) {
      if (s) await this.drop(id);
      throw driveErrors.notFound("The upload session was not found or has expired.");
    }
    if (req.method === "GET") return this.status(s);
    if (req.method === "DELETE") {
      await this.exclusive(id, () => this.drop(id));
      return emptyResponse(204);
    }
    if (req.method !== "PUT") {
      throw new GraphError(
        405,
        "invalidRequest",
        `The HTTP method '${req.method}' is not supported for upload URLs.`,
      );
    }
    return this.exclusive(id, () => this.fragment(req, s));
  }

  private exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(id) ?? Promise.resolve()).then(() => fn());
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return run;
  }

  private async fragment(req: FakeRequest, s: SessionState): Promise<FakeResponse> {
    if (!this.sessions.has(s.id)) throw driveErrors.notFound("The upload session was not found.");
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((req.headers["content-range"] ?? "").trim());
    if (!range) {
      throw driveErrors.invalid("Content-Range must be 'bytes {first}-{last}/{total}'.");
    }
    const first = Number(range[1]);
    const last = Number(range[2]);
    const total = Number(range[3]);
    const length = req.body.length;
    if (last < first || last >= total || length !== last - first + 1) {
      throw driveErrors.invalid("The fragment length doesn't match Content-Range.");
    }
    if (s.total !== null && s.total !== total) {
      throw driveErrors.invalid("The total size changed during the upload.");
    }
    if (first < s.next) {
      throw new GraphError(
        416,
        "invalidRange",
        "The fragment overlaps data already received.",
        "fragmentOverlap",
      );
    }
    if (first > s.next) {
      throw new GraphError(416, "invalidRange", `Expected the fragment to start at ${s.next}.`);
    }
    const isLast = last + 1 === total;
    if (length >= MAX_FRAGMENT_BYTES) {
      throw driveErrors.invalid("Fragments must be smaller than 60 MiB.");
    }
    if (!isLast && length % FRAGMENT_MULTIPLE !== 0) {
      throw driveErrors.invalid(
        "Fragments other than the last must be a multiple of 320 KiB (327,680 bytes).",
      );
    }
    if (this.env.faults().quotaFull) throw driveErrors.quota();
    await appendFile(this.partPath(s.id), req.body);
    s.total = total;
    s.next = last + 1;
    s.expirationDateTime = isoSeconds(new Date(Date.now() + SESSION_TTL_MS));
    this.save(s);
    if (!isLast) return this.status(s, 202);
    return this.commit(s, total);
  }

  private async commit(s: SessionState, size: number): Promise<FakeResponse> {
    const drive = this.drives.byKey(s.userKey);
    if (!drive) {
      await this.drop(s.id);
      throw driveErrors.notFound("The drive of this upload session no longer exists.");
    }
    try {
      const { item, created } = await drive.exclusive(() =>
        drive.writeFile(
          s.baseId,
          [...s.segments],
          { file: this.partPath(s.id), size },
          {
            conflict: s.conflict,
            ifMatch: s.ifMatch,
            quotaBytes: this.env.quotaBytes,
            quotaFull: Boolean(this.env.faults().quotaFull),
          },
        ),
      );
      return jsonResponse(created ? 201 : 200, this.env.render(drive, item));
    } finally {
      // Committed or refused (409/412/507): either way the session is over.
      await this.drop(s.id);
    }
  }

  /** For tests and the admin view. */
  count(): number {
    return this.sessions.size;
  }

  has(id: string): boolean {
    return this.sessions.has(id) && existsSync(this.partPath(id));
  }
}
