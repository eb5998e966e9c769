import { SeptError } from "../../src/core/errors.js";
import type { StoragePort, StoredFile } from "../../src/core/ports/storage.js";

/** An in-memory StoragePort with the same conflict and If-Match rules as the Graph adapter. */
export function createMemoryStorage(): StoragePort & {
  files: Map<string, Uint8Array>;
  writes: string[];
} {
  const files = new Map<string, Uint8Array>();
  const meta = new Map<string, StoredFile>();
  const writes: string[] = [];
  let version = 0;
  const stat = (path: string) => meta.get(path) ?? null;

  const storage: StoragePort = {
    async write(path, content, options = {}) {
      options.signal?.throwIfAborted();
      const existing = meta.get(path);
      if (existing && options.conflict === "fail") throw new SeptError("conflict");
      if (options.ifMatch && existing?.eTag !== options.ifMatch) {
        throw new SeptError("precondition_failed");
      }
      const file: StoredFile = {
        id: existing?.id ?? `id-${++version}`,
        path,
        name: path.split("/").pop() ?? path,
        size: content.byteLength,
        eTag: `"e${++version}"`,
        lastModified: new Date().toISOString(),
      };
      files.set(path, content.slice());
      meta.set(path, file);
      writes.push(path);
      return file;
    },
    async writeJson(path, value, options) {
      return storage.write(path, new TextEncoder().encode(JSON.stringify(value)), options);
    },
    async read(path) {
      const bytes = files.get(path);
      if (!bytes) throw new SeptError("not_found");
      return bytes.slice();
    },
    async readJson<T>(path: string) {
      const bytes = await storage.read(path);
      const file = stat(path);
      if (!file) throw new SeptError("not_found");
      return { value: JSON.parse(new TextDecoder().decode(bytes)) as T, file };
    },
    async stat(path) {
      return stat(path);
    },
    async list(folder) {
      return [...meta.values()].filter(
        (f) => f.path.startsWith(`${folder}/`) && !f.path.slice(folder.length + 1).includes("/"),
      );
    },
    async remove(path, options = {}) {
      const existing = meta.get(path);
      if (options.ifMatch && existing?.eTag !== options.ifMatch) {
        throw new SeptError(existing ? "precondition_failed" : "not_found");
      }
      files.delete(path);
      meta.delete(path);
    },
  };
  return Object.assign(storage, { files, writes });
}
