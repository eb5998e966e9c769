// The user's rights over what SEPT stores (privacy policy §5, §7), as the pane offers them: list,
// correct, download, delete some or all, retention and purge, and a copy of everything. Remembers
// what the last delete left in the recycle bin, so the pane can say so (not "gone for good").
import type { ConsentLedgerPort } from "../../core/ports/consent-ledger.js";
import type { ReceiptParties } from "../../core/consent/receipt.js";
import {
  countExpiring,
  type RetentionBounds,
  type RetentionSetting,
} from "../../core/retention.js";
import type { ExportSink } from "./export.js";
import type { PurgeResult } from "./purge.js";
import type { SettingsService } from "../storage/settings.js";
import {
  correct,
  downloadEml,
  listStored,
  listStoredPages,
  type Correction,
  type StoredEmail,
  type StoredEmailsDeps,
} from "./stored-emails.js";
import { deleteAll, deleteStored, type DeleteAllDeps } from "./remove.js";

export interface MyRights {
  list(): Promise<StoredEmail[]>;
  /** The same emails page by page (one message month at a time), for a view that shows rows early. */
  pages(signal?: AbortSignal): AsyncIterable<StoredEmail[]>;
  retention(): Promise<{ setting: RetentionSetting; bounds: RetentionBounds }>;
  /** How many stored emails a new setting would purge at once. */
  countExpiring(setting: RetentionSetting): Promise<number>;
  setRetention(setting: RetentionSetting): Promise<void>;
  purgeNow(): Promise<number>;
  correct(savedId: string, change: Correction): Promise<void>;
  remove(savedIds: string[]): Promise<number>;
  removeAllMyData(): Promise<void>;
  /** How many items the last delete, purge or "delete all" left in the recycle bin (0: none). */
  recycled(): number;
  downloadEml(savedId: string): Promise<Uint8Array>;
  /** Streams "a copy of my data" to `sink`, part by part. */
  exportAll(
    sink: ExportSink,
    onProgress: (done: number, total: number) => void,
  ): Promise<{ sizeBytes: number }>;
}

export interface MyRightsDeps extends StoredEmailsDeps {
  settings: SettingsService;
  ledger: ConsentLedgerPort;
  consent: { refresh(): Promise<unknown>; receiptParties(): ReceiptParties };
  principal: { principalId: string; language: string };
  purge: () => Promise<PurgeResult>;
}

export function createMyRights(deps: MyRightsDeps): MyRights {
  const { storage, index, activity, settings } = deps;
  let lastRecycled = 0;
  const deleteAllDeps: DeleteAllDeps = {
    storage,
    activity,
    index,
    settings,
    consent: deps.consent,
  };
  const effectiveRetention = async () => (await settings.current()).effective;
  return {
    list: () => listStored({ index, retention: effectiveRetention }),
    pages: (signal) => listStoredPages({ index, retention: effectiveRetention }, signal),
    retention: async () => {
      const state = await settings.current();
      return { setting: state.chosen, bounds: state.bounds };
    },
    countExpiring: async (setting) => countExpiring(await index.entries(), setting, new Date()),
    setRetention: async (setting) => {
      await settings.setRetention(setting);
    },
    purgeNow: async () => {
      const result = await deps.purge();
      lastRecycled = result.recycled.length;
      return result.purged.length;
    },
    correct: async (savedId, change) => {
      await correct(deps, savedId, change);
    },
    remove: async (savedIds) => {
      const result = await deleteStored(deps, savedIds);
      lastRecycled = result.recycled.length;
      return result.removed.length;
    },
    recycled: () => lastRecycled,
    removeAllMyData: async () => {
      lastRecycled = (await deleteAll(deleteAllDeps, "my_data")).recycled.length;
    },
    downloadEml: (savedId) => downloadEml({ storage }, savedId),
    // The ZIP writer (fflate) loads when an export is asked for.
    exportAll: async (sink, onProgress) =>
      (await import("./export.js")).exportMyDataTo(
        {
          storage,
          activity,
          index,
          ledger: deps.ledger,
          principal: deps.principal,
          parties: deps.consent.receiptParties(),
        },
        sink,
        { onProgress },
      ),
  };
}
