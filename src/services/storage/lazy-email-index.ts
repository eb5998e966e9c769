// The email index with its code (record shards, their writes, repair, the earlier layout) fetched
// on its first use, or once `warm` resolves: the pane's first view (the consent gate or the
// message card) reads only the consent ledger, so none of it belongs in the script before it.
import { loadOnce } from "../../core/load-once.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { EmailIndex } from "./email-index.js";

export function createLazyEmailIndex(storage: StoragePort, warm?: Promise<void>): EmailIndex {
  let index: EmailIndex | null = null;
  const load = loadOnce(() =>
    import("./email-index.js").then((m) => (index = m.createEmailIndex(storage))),
  );
  void warm?.then(load).catch(() => undefined);
  return {
    entries: async (options) => (await load()).entries(options),
    // Nothing has been read before the code is in.
    cached: () => index?.cached() ?? null,
    pages: (options) =>
      (async function* loadThenPage() {
        yield* (await load()).pages(options);
      })(),
    find: async (...args) => (await load()).find(...args),
    commit: async (...args) => (await load()).commit(...args),
    record: async (...args) => (await load()).record(...args),
    update: async (...args) => (await load()).update(...args),
    remove: async (...args) => (await load()).remove(...args),
    savedBefore: async (...args) => (await load()).savedBefore(...args),
    anySavedBefore: async (...args) => (await load()).anySavedBefore(...args),
    inMonth: async (...args) => (await load()).inMonth(...args),
    records: async (...args) => (await load()).records(...args),
    recordsModifiedSince: async (...args) => (await load()).recordsModifiedSince(...args),
    importRecords: async (...args) => (await load()).importRecords(...args),
    repair: async (...args) => (await load()).repair(...args),
    legacy: async (...args) => (await load()).legacy(...args),
    markMigrated: async (...args) => (await load()).markMigrated(...args),
    forget: () => index?.forget(),
  };
}
