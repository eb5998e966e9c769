// The activity log with its code (the hash chain, the head and its archive shards, the look-up,
// the outbox) fetched at its first use, or once `warm` resolves: the pane's first view reads the
// consent ledger only, and every event is written after it (the first grant, a save, housekeeping).
import { loadOnce } from "../../core/load-once.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { ActivityLogOptions } from "./activity-log.js";

export function createLazyActivityLog(
  storage: StoragePort,
  options: ActivityLogOptions,
  warm?: Promise<void>,
): ActivityLogPort {
  const load = loadOnce(() =>
    import("./activity-log.js").then((m) => m.createStorageActivityLog(storage, options)),
  );
  void warm?.then(load).catch(() => undefined);
  return {
    append: async (...args) => (await load()).append(...args),
    appendIdempotent: async (...args) => (await load()).appendIdempotent(...args),
    appendMany: async (...args) => (await load()).appendMany(...args),
    hold: async (...args) => (await load()).hold(...args),
    flush: async (...args) => (await load()).flush(...args),
    pending: async () => (await load()).pending(),
    list: async (...args) => (await load()).list(...args),
    verify: async (...args) => (await load()).verify(...args),
  };
}
