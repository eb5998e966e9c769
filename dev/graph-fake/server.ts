// The Graph fake: a real HTTPS server standing in for Microsoft Graph v1.0 in the local demo and
// the integration tests. Production code configured with its base URL cannot tell it from Graph
// except by the base URL and the token.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin } from "./admin.js";
import { TokenRegistry, principalIdOf, requireScope } from "./auth.js";
import { batchRoute } from "./batch.js";
import { corsHeaders, preflightHeaders } from "./cors.js";
import { DownloadSigner, DriveRegistry, driveIdOf } from "./drive-registry.js";
import type { DriveStore } from "./drive-store.js";
import { renderItem } from "./drive-json.js";
import { DriveService, MAX_SIMPLE_UPLOAD_BYTES } from "./drive.js";
import { GraphError, driveErrors, errorBody } from "./errors.js";
import { encodeResponse, jsonResponse, type FakeRequest, type FakeResponse } from "./exchange.js";
import { FaultEngine } from "./faults.js";
import { MailService } from "./mail.js";
import { UserDirectory, resolveSubject, type UserEntry } from "./users.js";
import { RequestLog, appendRequestShape, redactHeaders } from "./request-log.js";
import { GroupDirectory } from "./groups.js";
import { Router } from "./router.js";
import { DEFAULT_SEED_DIR, loadMailbox, officeView, parseMessage } from "./seed.js";
import { UploadSessions } from "./upload-sessions.js";
import type {
  DevTokenClaims,
  FakeUser,
  FakeUserSeed,
  FaultConfig,
  GraphFake,
  RecycleBinEntry,
  StoredContent,
  GraphFakeOptions,
  OfficeItemView,
} from "./types.js";

export type * from "./types.js";
export { makeAppToken, makeDevToken, parseDevToken } from "./auth.js";

const DEFAULT_PORT = 3001;
const DEFAULT_QUOTA = 5 * 1024 ** 3;
/** No Graph request body may exceed the simple-upload limit (250 MB). */
const MAX_BODY_BYTES = MAX_SIMPLE_UPLOAD_BYTES;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Reads the body, or returns null once it grows past `limit`. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return null;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** A request that uploads file content: `PUT …/content` or `POST …/createUploadSession`. */
function carriesFileContent(method: string, path: string): boolean {
  const tail = path.replace(/\/+$/, "");
  return (
    (method === "PUT" && /(\/|:\/)content$/.test(tail)) ||
    (method === "POST" && /\/(microsoft\.graph\.)?createUploadSession$/.test(tail))
  );
}

function errorResponse(req: FakeRequest, err: unknown): FakeResponse {
  if (err instanceof GraphError) {
    return jsonResponse(
      err.status,
      errorBody(err.code, err.message, req.requestId, req.clientRequestId, err.innerCode),
      err.headers,
    );
  }
  console.error("graph-fake: unexpected error", err);
  return jsonResponse(
    500,
    errorBody(
      "generalException",
      "An unexpected error occurred in the fake.",
      req.requestId,
      req.clientRequestId,
    ),
  );
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startGraphFake(opts: GraphFakeOptions): Promise<GraphFake> {
  mkdirSync(opts.dataDir, { recursive: true });
  const appFolderName = opts.appFolderName ?? "SEPT for Outlook";
  const quotaBytes = opts.quotaBytes ?? DEFAULT_QUOTA;
  const messages = await loadMailbox(opts.seedDir ?? DEFAULT_SEED_DIR, opts.seedLarge ?? true);
  const faults = new FaultEngine(opts.faults);
  const tokens = new TokenRegistry();
  const log = new RequestLog();
  const inFlight = new Map<string, number>();
  let port = 0;
  const origin = () => `https://localhost:${port}`;
  const storageOrigin = () => `https://127.0.0.1:${port}`;

  const drives = new DriveRegistry(opts.dataDir, appFolderName);
  const signer = new DownloadSigner(opts.dataDir);
  const renderCtx = { origin, storageOrigin, signer, appFolderName };
  const sessions = new UploadSessions(opts.dataDir, drives, {
    origin,
    storageOrigin,
    faults: () => faults.current,
    quotaBytes,
    render: (drive, item) => renderItem(renderCtx, drive, item),
  });
  const mailEnv = { origin, faults: () => faults.current };
  const directory = new UserDirectory(opts.dataDir, messages, mailEnv);
  const driveService = new DriveService(drives, signer, sessions, {
    ...renderCtx,
    faults: () => faults.current,
    quotaBytes,
    users: () => directory.all(),
  });
  const mail = directory.sharedMail;
  const views = messages.map(officeView);
  const seededIds = new Set(views.map((v) => v.restId));
  let added = 0;
  /** A raw .eml added at run time, seeded like the others (its ids derive from a fresh key). */
  async function addMessage(raw: Buffer, userId?: string): Promise<OfficeItemView> {
    const message = await parseMessage(raw, `runtime-${++added}-${raw.length}.eml`);
    if (userId !== undefined) {
      const user = directory.get(userId);
      if (!user?.ownMailbox) {
        throw new GraphError(404, "itemNotFound", `No seeded user '${userId}' to add mail to.`);
      }
      user.mail.add(message);
      return officeView(message);
    }
    if (!views.some((v) => v.restId === message.restId)) {
      mail.add(message);
      views.push(officeView(message));
    }
    return officeView(message);
  }
  /** Removes every message added at run time (the seeded mailbox stays). */
  function removeAddedMessages(): number {
    const runtime = views.filter((v) => !seededIds.has(v.restId));
    for (const v of runtime) {
      mail.remove(v.restId);
      views.splice(views.indexOf(v), 1);
    }
    return runtime.length;
  }
  /** A drive by id: a registered library, or the OneDrive of a user the fake knows. */
  function driveById(driveId: string): DriveStore {
    const lib = drives.library(driveId);
    if (lib) return drives.forLibrary(lib);
    const owner = directory.all().find((u) => driveIdOf(u.id) === driveId);
    if (owner) return drives.forUser({ sub: owner.id, upn: owner.upn, name: owner.name });
    const onDisk = drives.byDriveId(driveId);
    if (!onDisk) throw new GraphError(404, "itemNotFound", `No drive '${driveId}'.`);
    return onDisk;
  }

  async function storedContents(driveId: string): Promise<StoredContent[]> {
    const drive = driveById(driveId);
    const out: StoredContent[] = [];
    const read = (path: string) => readFile(path).catch(() => Buffer.alloc(0));
    for (const r of drive.liveItems()) {
      if (r.folder) continue;
      const path = drive.pathOf(r).join("/");
      out.push({ where: "file", path, itemId: r.id, content: await read(drive.contentPath(r.id)) });
      for (const v of r.versions ?? []) {
        const content = await read(drive.versionPath(r.id, v.id));
        out.push({ where: "version", path, itemId: r.id, versionId: v.id, content });
      }
    }
    for (const e of drive.recycleBin()) {
      const r = e.record;
      if (r.folder) continue;
      const path = e.originalPath;
      const content = await read(drive.contentPath(r.id));
      out.push({ where: "recycleBin", path, itemId: r.id, content });
      for (const v of r.versions ?? []) {
        const old = await read(drive.versionPath(r.id, v.id));
        out.push({ where: "recycleBinVersion", path, itemId: r.id, versionId: v.id, content: old });
      }
    }
    return out;
  }

  function publicUser(u: UserEntry): FakeUser {
    return { id: u.id, upn: u.upn, name: u.name, oneDrive: u.oneDrive, driveId: driveIdOf(u.id) };
  }

  const router = new Router();
  for (const route of MailService.routes((r) => (r.subject as UserEntry).mail)) router.add(route);
  for (const route of driveService.routes()) router.add(route);
  router.add(batchRoute((inner) => runLogged(inner)));
  // Group membership (the tenant job's users): a module of its own, see groups.ts.
  const groups = new GroupDirectory(origin, (id) => directory.find(id)?.upn);
  for (const route of groups.routes()) router.add(route);

  /** Faults, auth, scopes and the handler; every error becomes a Graph error body. */
  async function pipeline(req: FakeRequest): Promise<FakeResponse | "drop"> {
    const decision = faults.decide(req.method, req.path, req.inner);
    if (decision?.kind === "drop") return "drop";
    try {
      if (decision) throw decision.error;
      const upload = /^\/_upload\/([^/]+)$/.exec(req.path);
      if (upload) return await sessions.handle(req, upload[1] ?? "");
      const download = /^\/_download\/([^/]+)$/.exec(req.path);
      if (download) {
        if (req.method !== "GET") throw driveErrors.invalid("Download URLs only answer GET.");
        return await driveService.download(download[1] ?? "");
      }
      req.user = tokens.authenticate(req);
      // `/users/{id}/x` is routed as `/me/x` once the user it names is allowed.
      if (!req.user.app) directory.fromToken(req.user.claims);
      const { routePath, subject } = resolveSubject(req, directory);
      if (subject) req.subject = subject;
      const { route, params } = router.match(req.method, routePath);
      if (req.inner && carriesFileContent(req.method, routePath)) {
        // Strict: no Microsoft document or example puts file content inside $batch
        // (json-batching.md); only JSON writes and DELETE are shown there.
        throw driveErrors.invalid(
          "File content can't be uploaded inside $batch; send PUT …/content or an upload session on its own.",
        );
      }
      if (route.scope !== "none") requireScope(req.user, route.scope);
      if (route.drive && faults.current.approotForbidden) {
        throw driveErrors.accessDenied("Access denied");
      }
      return await route.handler(req, params);
    } catch (err) {
      return errorResponse(req, err);
    }
  }

  function withCommonHeaders(req: FakeRequest, res: FakeResponse): FakeResponse {
    return {
      ...res,
      headers: {
        "request-id": req.requestId,
        "client-request-id": req.clientRequestId,
        "Cache-Control": "no-store",
        ...res.headers,
      },
    };
  }

  function record(req: FakeRequest, time: string, status: number, responseBytes: number): void {
    log.add({
      time,
      method: req.method,
      path: req.path,
      query: req.rawQuery,
      status,
      requestBytes: req.body.length,
      responseBytes,
      batch: req.inner,
      headers: redactHeaders(req.headers),
    });
    appendRequestShape(req);
  }

  /** A $batch inner request: same pipeline, logged with batch:true. */
  async function runLogged(req: FakeRequest): Promise<FakeResponse> {
    const time = new Date().toISOString();
    const result = await pipeline(req);
    const res = withCommonHeaders(
      req,
      result === "drop"
        ? errorResponse(req, new GraphError(504, "gatewayTimeout", "Dropped."))
        : result,
    );
    record(req, time, res.status, encodeResponse(res).body.length);
    return res;
  }

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ) {
    res.writeHead(status, { ...headers, "Content-Length": String(body.length) });
    res.end(body);
  }

  async function onRequest(httpReq: IncomingMessage, httpRes: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    const rawUrl = httpReq.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const method = (httpReq.method ?? "GET").toUpperCase();
    const headers = lowerHeaders(httpReq);
    const origin = headers.origin;
    if (method === "OPTIONS") {
      httpRes.writeHead(204, preflightHeaders(origin));
      httpRes.end();
      return;
    }
    const isGraph = /^\/(v1\.0|_upload|_download)(\/|$)/.test(path);
    const isAdmin = /^\/_fake(\/|$)/.test(path);
    const req: FakeRequest = {
      method,
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers,
      body: Buffer.alloc(0),
      inner: false,
      requestId: randomUUID(),
      clientRequestId: headers["client-request-id"] ?? randomUUID(),
    };
    const reply = (res: FakeResponse, logIt: boolean) => {
      const encoded = encodeResponse(withCommonHeaders(req, res));
      send(httpRes, res.status, { ...encoded.headers, ...corsHeaders(origin) }, encoded.body);
      if (logIt) record(req, time, res.status, encoded.body.length);
    };
    if (!isGraph && !isAdmin) {
      reply(
        errorResponse(req, new GraphError(404, "NotFound", `No such endpoint '${path}'.`)),
        false,
      );
      return;
    }
    // Too large by its declared length, or by what actually arrived: the same 413 either way.
    const declared = Number(headers["content-length"] ?? "0");
    const body = declared > MAX_BODY_BYTES ? null : await readBody(httpReq, MAX_BODY_BYTES);
    if (body === null) {
      httpRes.setHeader("Connection", "close");
      reply(
        errorResponse(
          req,
          new GraphError(
            413,
            "invalidRequest",
            "The request body is too large; use an upload session.",
            "maxFileSizeExceeded",
          ),
        ),
        isGraph,
      );
      return;
    }
    req.body = body;

    if (isAdmin) {
      try {
        reply(
          groups.admin(req) ??
            (await handleAdmin(req, {
              fake,
              faults: () => faults.get(),
              addMessage,
              removeAddedMessages,
              setOneDrive: (id, on) => directory.setOneDrive(id, on),
              // The shared sample mailbox first, then every seeded user's own.
              mime: (itemId) =>
                [mail, ...directory.all().map((u) => u.mail)]
                  .flatMap((box) => box.messages)
                  .find((m) => m.ewsId === itemId || m.restId === itemId)?.raw ?? null,
            })),
          false,
        );
      } catch (err) {
        reply(errorResponse(req, err), false);
      }
      return;
    }

    // Per-user concurrency, as Outlook's MailboxConcurrency limit (4 in production).
    const peeked = tokens.peek(headers.authorization);
    const userKey = peeked ? principalIdOf(peeked) : "anonymous";
    const max = faults.current.maxConcurrent;
    const active = inFlight.get(userKey) ?? 0;
    if (max !== undefined && path.startsWith("/v1.0") && active >= max) {
      const retryAfter = String(faults.current.retryAfterSeconds ?? 1);
      reply(
        errorResponse(
          req,
          new GraphError(
            429,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
            undefined,
            { "Retry-After": retryAfter },
          ),
        ),
        true,
      );
      return;
    }
    inFlight.set(userKey, active + 1);
    try {
      const latency = faults.latencyFor(method, path);
      if (latency > 0) await sleep(latency);
      const result = await pipeline(req);
      if (result === "drop") {
        record(req, time, 0, 0);
        httpReq.socket.destroy();
        return;
      }
      reply(result, true);
    } finally {
      const n = (inFlight.get(userKey) ?? 1) - 1;
      if (n <= 0) inFlight.delete(userKey);
      else inFlight.set(userKey, n);
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      // A client that hangs up mid-body is normal (timeouts, aborted uploads): not worth a log.
      if ((err as NodeJS.ErrnoException).code !== "ECONNRESET") {
        console.error("graph-fake: request failed", err);
      }
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const tls = { key: opts.tls.key, cert: opts.tls.cert };
  const v4 = createServer(tls, handler);
  port = await listen(v4, opts.port ?? DEFAULT_PORT, "127.0.0.1");
  // `localhost` may resolve to ::1 first; answer there too when the machine has IPv6.
  const servers: Server[] = [v4];
  const v6 = createServer(tls, handler);
  try {
    await listen(v6, port, "::1");
    servers.push(v6);
  } catch {
    // No IPv6 loopback: 127.0.0.1 is enough.
  }

  const fake: GraphFake = {
    url: origin(),
    graphBaseUrl: `${origin()}/v1.0`,
    port,
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    setFaults: (f: FaultConfig) => faults.set(f),
    async reset() {
      drives.wipe();
      sessions.wipe();
      log.clear();
      faults.set({});
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      drives.compactAll();
    },
    mailbox: () => structuredClone(views),
    acceptToken: (token: string, claims: DevTokenClaims) => tokens.accept(token, claims),
    seedUser: (seed: FakeUserSeed) => publicUser(directory.seed(seed)),
    users: () => directory.all().map(publicUser),
    mailboxOf(userId: string) {
      const user = directory.get(userId);
      if (!user) throw new Error(`No user '${userId}'.`);
      return user.mail.messages.map(officeView);
    },
    addMessage,
    addLibrary: (name: string, libOpts?: { sitesSelected?: boolean }) => {
      const lib = drives.addLibrary(name, libOpts);
      return { driveId: lib.driveId };
    },
    recycleBin: (driveId: string): RecycleBinEntry[] =>
      driveById(driveId)
        .recycleBin()
        .map((e) => ({
          id: e.record.id,
          name: e.record.name,
          originalPath: e.originalPath,
          folder: e.record.folder,
          size: e.record.size,
          deletedDateTime: e.deletedDateTime,
          versions: e.record.versions?.length ?? 0,
          deletedWith: e.deletedWith,
        })),
    emptyRecycleBin(driveId: string) {
      const drive = driveById(driveId);
      return drive.exclusive(() => drive.purgeRecycleBin());
    },
    async restoreFromRecycleBin(driveId: string, itemId: string) {
      const drive = driveById(driveId);
      await drive.exclusive(() => drive.restore(itemId));
    },
    storedContents,
  };
  return fake;
}
