// Public types of the Graph fake. Production code never imports these: only the demo, the
// Outlook stand-in and the tests do.

export interface FaultQueueEntry {
  status: 429 | 503 | 504 | 401 | 403 | 404 | 507 | "drop";
  /** Regex on `METHOD /path` (path without query, e.g. `GET /v1.0/me/messages`). */
  match?: string;
  retryAfterSeconds?: number;
  /** How many matching requests get this fault (default 1). */
  times?: number;
}

export interface FaultConfig {
  /** Seed of the PRNG behind the rates, so runs are reproducible (default 1). */
  seed?: number;
  rate429?: number;
  /** Retry-After sent with 429s (default 1). */
  retryAfterSeconds?: number;
  rate503?: number;
  rate504?: number;
  /** Destroy the socket without a response. */
  rateDrop?: number;
  latencyMs?: number;
  /** 403 accessDenied on every drive/approot request. */
  approotForbidden?: boolean;
  /** 507 quotaLimitReached on every content write. */
  quotaFull?: boolean;
  /** Concurrent requests per user above this → 429 ApplicationThrottled. */
  maxConcurrent?: number;
  /** `$value` of a bigger message → 504 gatewayTimeout. */
  mimeSizeLimitBytes?: number;
  /** Regex on `METHOD /path` that rates and latency apply to (default: /v1.0 and /_upload). */
  match?: string;
  /** Deterministic faults served to the next matching requests before any rate applies. */
  queue?: FaultQueueEntry[];
  /** 409 on createUploadSession while another session for the same path is mid-upload. */
  concurrentUploadConflict?: boolean;
}

export interface DevTokenClaims {
  /** Subject (pairwise per app in Entra ID); the user id when there is no `oid`. */
  sub: string;
  /** The stable object id of the user (delegated) or of the app's service principal (app-only). */
  oid?: string;
  /** Empty on app-only tokens. */
  upn: string;
  /** Display name of the user, or of the app on app-only tokens. */
  name: string;
  /** Space-separated delegated scopes; absent on app-only tokens. */
  scp?: string;
  /** Application permissions (app roles) of an app-only token, e.g. ["Files.ReadWrite.AppFolder"]. */
  roles?: string[];
  /** "app" on app-only tokens (Entra ID's optional `idtyp` claim); "user" or absent otherwise. */
  idtyp?: "app" | "user";
  /** Expiry, Unix seconds. */
  exp: number;
}

/** A user the fake knows: a mailbox and (unless `oneDrive: false`) a OneDrive. */
export interface FakeUserSeed {
  /** Stable user id (`oid`); `/users/{id}` and `/me` answer it as `id`. */
  id: string;
  upn?: string;
  name?: string;
  /** false: the user has no provisioned OneDrive (404 "mysite not found" on every drive call). */
  oneDrive?: boolean;
  /**
   * "sample": a copy of the seeded sample mailbox (default); "empty": no messages. Add messages
   * with `POST /_fake/messages?user={id}` (raw .eml body).
   */
  mailbox?: "sample" | "empty";
}

export interface FakeUser {
  id: string;
  upn: string;
  name: string;
  oneDrive: boolean;
  /** The id of the user's OneDrive (`/drives/{driveId}`). */
  driveId: string;
}

export interface LoggedRequest {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Path without query, as sent (percent-encoding kept); batch inner requests get `/v1.0` prefixed. */
  path: string;
  query: string;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  requestBytes: number;
  responseBytes: number;
  batch: boolean;
  /** Lower-case names; the Authorization value is replaced by "Bearer <redacted>". */
  headers: Record<string, string>;
}

export interface OfficeAddress {
  name: string;
  address: string;
}

export interface OfficeAttachmentView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
}

export type MessageProtection = "none" | "smime" | "irm";

/** What an Outlook host knows of a message (read mode). */
export interface OfficeItemView {
  /** EWS id (standard base64, contains `/` or `+`), as Office.js `item.itemId`. */
  itemId: string;
  /** `convertToRestId(itemId)`: `/`→`-`, `+`→`_`. */
  restId: string;
  immutableId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: OfficeAddress;
  to: OfficeAddress[];
  cc: OfficeAddress[];
  dateTimeCreated: string;
  dateTimeModified: string;
  receivedDateTime: string;
  attachments: OfficeAttachmentView[];
  bodyPreview: string;
  /** Size of the MIME message in bytes. */
  size: number;
  hasAttachments: boolean;
  protection: MessageProtection;
}

export interface GraphFakeOptions {
  /** 0 = random free port (tests); default 3001. */
  port?: number;
  /** State on disk (created if missing); a restart with the same dataDir keeps drive state. */
  dataDir: string;
  /** Folder of .eml files seeded into the mailbox (default: dev/sample-mailbox). */
  seedDir?: string;
  /** Also seed the generated message over 4 MB (default true). */
  seedLarge?: boolean;
  tls: { key: string; cert: string };
  faults?: FaultConfig;
  /** Drive quota per user (default 5 GiB). */
  quotaBytes?: number;
  /** Display name of the app folder, `Apps/{appFolderName}` (default "SEPT for Outlook"). */
  appFolderName?: string;
}

export interface GraphFake {
  /** https://localhost:PORT */
  url: string;
  /** https://localhost:PORT/v1.0 */
  graphBaseUrl: string;
  port: number;
  requests(): LoggedRequest[];
  clearRequests(): void;
  setFaults(f: FaultConfig): void;
  /** Wipe drive state, upload sessions, the log and faults; keep the mailbox and tokens. */
  reset(): Promise<void>;
  close(): Promise<void>;
  mailbox(): OfficeItemView[];
  /** Accept an opaque token (e.g. issued by MSAL) as if it carried these claims. */
  acceptToken(token: string, claims: DevTokenClaims): void;
  /** Adds (or updates) a user with their own mailbox and OneDrive; answers what the fake holds. */
  seedUser(seed: FakeUserSeed): FakeUser;
  /** Users the fake knows (seeded, or met through a delegated token). */
  users(): FakeUser[];
  /** The Outlook view of one user's mailbox. */
  mailboxOf(userId: string): OfficeItemView[];
  /** Seeds a raw .eml into one user's mailbox (the shared sample mailbox when userId is omitted). */
  addMessage(raw: Buffer, userId?: string): Promise<OfficeItemView>;
  /**
   * An admin-chosen SharePoint document library: answers its drive id. Its
   * `/drives/{id}/special/approot` is one `Apps/{app}` folder shared by every user of the library.
   */
  addLibrary(name: string, opts?: { sitesSelected?: boolean }): { driveId: string };
}
