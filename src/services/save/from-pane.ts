// Saving from the pane: the open message (read through Office.js where the host can) alone or
// with ticked others (read through Graph), in the org's limits, with a purge after every save.
import type { SeptError } from "../../core/errors.js";
import type { MessageSummary } from "../../core/message.js";
import type { MessageListing } from "../../core/ports/mail-source.js";
import { bulkSave, type BulkSaveItem } from "./bulk-save.js";
import { saveEmail, type SaveEmailDeps, type SaveEmailRequest } from "./save-email.js";
import type { OtherMessage } from "./other-messages.js";

export type SaveOutcome = {
  status: "saved" | "already_saved";
  savedId: string;
  /** Saved, and its activity entry waits on this device to be written (save-request.ts). */
  eventPending?: true;
};

export interface SaveProgress {
  sent: number;
  total: number;
}

/** One message of a save of several; `key` is its REST id (the open message's too). */
export type BulkItemResult =
  | { key: string; subject: string; status: "saved" | "already_saved"; eventPending?: true }
  | { key: string; subject: string; status: "failed"; error: SeptError };

export interface PaneSaving {
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

export interface PaneSavingDeps {
  save: SaveEmailDeps;
  /** The REST id of an item Office.js names. */
  restId: (itemId: string) => string;
  /** Whether the organisation allows saving content at all: when not, none is saved. */
  allowContent: boolean;
  /** What a list read of a message offered (see other-messages.ts). */
  listed: (restId: string) => MessageListing | undefined;
  /** Runs after every save, never awaited (the pane purges what expired). */
  afterSave: () => void;
}

/** The open message as a save request: Office's identity and item class, its REST id. */
function openMessage(deps: PaneSavingDeps, message: MessageSummary) {
  return {
    restId: deps.restId(message.itemId),
    internetMessageId: message.internetMessageId,
    from: message.from,
    subject: message.subject,
    // What Office.js answered in read mode: the save reads no metadata through Graph.
    officeMessage: message,
    receivedDateTime: message.date || null,
    ...(message.itemClass ? { officeItem: { itemClass: message.itemClass } } : {}),
  } satisfies Omit<SaveEmailRequest, "projectId" | "includeContent">;
}

function otherItem(deps: PaneSavingDeps, other: OtherMessage): BulkSaveItem {
  const metadata = deps.listed(other.key);
  return {
    restId: other.key,
    internetMessageId: other.internetMessageId,
    from: other.from,
    subject: other.subject,
    receivedDateTime: other.receivedDateTime,
    ...(metadata ? { metadata } : {}),
  };
}

export function createPaneSaving(deps: PaneSavingDeps): PaneSaving {
  return {
    save: async (message, projectId, includeContent, options) => {
      const result = await saveEmail(
        deps.save,
        {
          ...openMessage(deps, message),
          projectId,
          includeContent: includeContent && deps.allowContent,
        },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (p) => options.onProgress?.({ sent: p.sent, total: p.total }),
        },
      );
      deps.afterSave();
      return {
        status: result.status,
        savedId: result.savedId,
        ...(result.status === "saved" && result.eventPending ? { eventPending: true } : {}),
      };
    },
    saveMany: async (message, others, projectId, includeContent, options) => {
      const items = [openMessage(deps, message), ...others.map((o) => otherItem(deps, o))];
      await bulkSave(deps.save, items, projectId, includeContent && deps.allowContent, {
        ...(options.signal ? { signal: options.signal } : {}),
        onResult: (r) => {
          const item = items[r.index];
          if (!item) return;
          const named = { key: item.restId, subject: item.subject ?? "" };
          options.onResult(
            r.status === "failed"
              ? { ...named, status: "failed", error: r.error }
              : { ...named, status: r.status, ...(r.eventPending ? { eventPending: true } : {}) },
          );
        },
      });
      deps.afterSave();
    },
  };
}
