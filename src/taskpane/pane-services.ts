import type { ExportSink } from "../services/rights/export.js";
import type { ActivityEvent } from "../core/activity/activity.js";
import type { SeptError } from "../core/errors.js";
import type { MessageSummary } from "../core/message.js";
import type { ConsentService } from "../services/consent/consent-service.js";
import type { LoadedOrgPolicy } from "../services/consent/org-policy.js";

export interface ProjectOption {
  id: string;
  name: string;
}

export interface ProjectSuggestion {
  projectId: string;
  reason: "conversation" | "sender_domain" | "recipient_domain";
  count: number;
}

export interface SavedCopy {
  projectId: string;
  savedAt: string;
}

export type SaveOutcome = { status: "saved" | "already_saved"; savedId: string };

export interface SaveProgress {
  sent: number;
  total: number;
}

/** One message of a save of several; `key` is its REST id (the open message's too). */
export type BulkItemResult =
  | { key: string; subject: string; status: "saved" | "already_saved" }
  | { key: string; subject: string; status: "failed"; error: SeptError };

/** Another message the user may tick to save with the open one (found through Graph). */
export interface OtherMessage {
  /** REST id. */
  key: string;
  subject: string;
  from: { name: string; address: string } | null;
  receivedDateTime: string | null;
  internetMessageId: string | null;
}

/**
 * Finding other messages: each call reads the mailbox through Graph, so the first one asks for
 * Mail.Read. Nothing here runs unless the user asks.
 */
export interface OtherMessagesFacade {
  /** The other messages of the open message's conversation (the open one left out). */
  conversation(message: MessageSummary): Promise<OtherMessage[]>;
  /** Recent messages from the open message's sender (the open one left out). */
  fromSender(message: MessageSummary): Promise<OtherMessage[]>;
  search(words: string, message: MessageSummary): Promise<OtherMessage[]>;
}

export type GraphScope = "User.Read" | "Files.ReadWrite.AppFolder" | "Mail.Read";

/** What the Privacy view shows under "Permissions in use". */
export interface PermissionsInUse {
  /** Graph scopes asked for in this session so far. */
  scopesAsked: GraphScope[];
  /** The host hands over the open message itself (Mailbox 1.14 getAsFileAsync). */
  hostReadsItem: boolean;
}

/** Saving, as the views need it; composition.ts implements it over the services. */
export interface SavingFacade {
  /** Whether the organisation allows saving content at all (org policy). */
  contentAllowedByOrg(): boolean;
  projects(): Promise<ProjectOption[]>;
  createProject(name: string): Promise<ProjectOption>;
  /** Every project, archived ones included, for managing the catalogue. */
  allProjects(): Promise<Array<ProjectOption & { archived: boolean }>>;
  renameProject(id: string, name: string): Promise<void>;
  archiveProject(id: string, archived: boolean): Promise<void>;
  /** Where this message is already stored (from the index, no message read). */
  savedCopies(message: MessageSummary): Promise<SavedCopy[]>;
  suggest(message: MessageSummary): Promise<ProjectSuggestion | null>;
  save(
    message: MessageSummary,
    projectId: string,
    includeContent: boolean,
    options: { signal?: AbortSignal; onProgress?: (progress: SaveProgress) => void },
  ): Promise<SaveOutcome>;
  /** The open message and the ticked others, with one result each (the open one first). */
  saveMany(
    message: MessageSummary,
    others: OtherMessage[],
    projectId: string,
    includeContent: boolean,
    options: { signal?: AbortSignal; onResult: (result: BulkItemResult) => void },
  ): Promise<void>;
}

/** The integrity check as the Activity view shows it (see core/activity/chain.ts). */
export interface ActivityCheck {
  ok: boolean;
  problems: number;
  /** Older events checked per session only. */
  legacy?: number;
  /** Consent records from before the one chain, not covered. */
  consentLegacy?: number;
  /** Events kept on this device, not written to the log yet. */
  pending?: number;
}

export interface ActivityFacade {
  list(): Promise<ActivityEvent[]>;
  verify(): Promise<ActivityCheck>;
}

/** What the views need, wired once by the composition root (index.tsx). */
export interface PaneServices {
  consent: ConsentService;
  /** Who the receipts are about: the mailbox owner's address. */
  principalId: string;
  deleteAllStoredEmails(): Promise<number>;
  saving: SavingFacade;
  otherMessages: OtherMessagesFacade;
  permissions(): PermissionsInUse;
  activity: ActivityFacade;
  stored: StoredFacade;
  /** The admin's org policy as loaded, with any problem found in the file. */
  orgPolicy: LoadedOrgPolicy;
  /** Signs out of SEPT where the host allows it (MSAL); absent in the local demo. */
  signOut?: () => Promise<unknown>;
}

export type RetentionChoice = { kind: "days"; days: number } | { kind: "forever" };

export interface RetentionBounds {
  minDays: number;
  maxDays: number;
  allowForever: boolean;
}

/** A stored email as the Stored view lists it (from the index, never from the message). */
export interface StoredEntry {
  savedId: string;
  projectId: string;
  savedAt: string;
  subject: string;
  from: { name: string; address: string } | null;
  receivedDateTime: string | null;
  contentStored: boolean;
  sizeBytes: number;
  note?: string;
  /** When retention will delete it; null when kept until the user deletes it. */
  expiresAt: string | null;
}

/** The user's rights over stored emails (privacy policy §5, §7). */
export interface StoredFacade {
  list(): Promise<StoredEntry[]>;
  retention(): Promise<{ setting: RetentionChoice; bounds: RetentionBounds }>;
  /** How many stored emails a new setting would purge at once. */
  countExpiring(setting: RetentionChoice): Promise<number>;
  setRetention(setting: RetentionChoice): Promise<void>;
  purgeNow(): Promise<number>;
  correct(savedId: string, change: { projectId?: string; note?: string }): Promise<void>;
  remove(savedIds: string[]): Promise<number>;
  removeAllMyData(): Promise<void>;
  /**
   * How many items the last delete, purge or "delete all" left in the user's recycle bin because
   * Microsoft 365 refused to delete them for good (0: all gone for good).
   */
  recycled?(): number;
  downloadEml(savedId: string): Promise<Uint8Array>;
  /** Streams "a copy of my data" to `sink`, part by part. */
  exportAll(
    sink: ExportSink,
    onProgress: (done: number, total: number) => void,
  ): Promise<{ sizeBytes: number }>;
}
