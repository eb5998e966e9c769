import type { StoragePort, StoredFile } from "../../core/ports/storage.js";

/**
 * Reads a folder of write-once JSON files (consent records, activity events). Files never change
 * once written, so each is downloaded once per pane; a refresh costs one listing plus new files.
 */
export function createImmutableFolderReader<T>(
  storage: StoragePort,
  folder: string,
  /** Also given the file, for what only storage knows (its server-side creation time). */
  parse: (value: unknown, file: StoredFile) => T | null,
) {
  const cache = new Map<string, T | null>();
  /** A file this pane has just written: its content is known, so no later listing downloads it. */
  const remember = (file: StoredFile, value: unknown): void => {
    cache.set(file.name, parse(value, file));
  };
  const readAll = async function readAll(signal?: AbortSignal): Promise<T[]> {
    const files = await storage.list(folder, signal);
    const missing = files.filter((f) => f.name.endsWith(".json") && !cache.has(f.name));
    // A few at a time: storage limits concurrency itself, this only bounds memory.
    for (let i = 0; i < missing.length; i += 8) {
      await Promise.all(
        missing.slice(i, i + 8).map(async (file) => {
          try {
            const { value } = await storage.readJson<unknown>(`${folder}/${file.name}`, signal);
            cache.set(file.name, parse(value, file));
          } catch (error) {
            if ((error as { code?: string }).code === "not_found") return;
            throw error;
          }
        }),
      );
    }
    const present = new Set(files.map((f) => f.name));
    const values: T[] = [];
    for (const [name, value] of cache) if (present.has(name) && value !== null) values.push(value);
    return values;
  };
  return Object.assign(readAll, { remember });
}
