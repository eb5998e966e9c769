import { jsonOf } from "../../src/adapters/graph/drive/read-many.js";
import { SeptError } from "../../src/core/errors.js";
import type {
  FileRead,
  ReadManyOptions,
  RemoveManyResult,
  StoragePort,
  StoredFile,
} from "../../src/core/ports/storage.js";

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
      try {
        return { value: JSON.parse(new TextDecoder().decode(bytes)) as T, file };
      } catch (error) {
        // As the Graph adapter reports it.
        throw new SeptError("unknown", { message: `'${path}' is not valid JSON.`, cause: error });
      }
    },
    async readJsonMany<T>(paths: readonly string[], options: ReadManyOptions = {}) {
      // The bytes as readMany reads them, parsed as the Graph adapter parses them.
      return (await storage.readMany(paths, options)).map((read) => jsonOf<T>(read));
    },
    async readMany(paths: readonly string[], options: ReadManyOptions = {}) {
      options.signal?.throwIfAborted();
      return Promise.all(
        paths.map(async (path): Promise<FileRead | undefined> => {
          const file = meta.get(path);
          if (!file) return undefined;
          if (options.held?.get(path) === file.eTag) {
            return { path, unchanged: true, file: { ...file } };
          }
          try {
            return { path, bytes: await storage.read(path), file: { ...file } };
          } catch (error) {
            if (error instanceof SeptError && error.code === "not_found") return undefined;
            return { path, error: error as SeptError };
          }
        }),
      );
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
      return { permanent: true };
    },
    async writeMany(writes, options = {}) {
      options.signal?.throwIfAborted();
      const seen = new Set<string>();
      for (const w of writes) {
        if (seen.has(w.path.toLowerCase())) throw new SeptError("bad_request");
        if (typeof w.value !== "object" || w.value === null) throw new SeptError("bad_request");
        if (w.after !== undefined && !seen.has(w.after.toLowerCase())) {
          throw new SeptError("bad_request");
        }
        seen.add(w.path.toLowerCase());
      }
      const failedPaths = new Set<string>();
      const results = [];
      for (const w of writes) {
        if (w.after !== undefined && failedPaths.has(w.after.toLowerCase())) {
          failedPaths.add(w.path.toLowerCase());
          results.push({
            path: w.path,
            error: new SeptError("unknown", { params: { reason: "dependency_failed" } }),
          });
          continue;
        }
        try {
          const file = await storage.writeJson(w.path, w.value, {
            ...(w.conflict ? { conflict: w.conflict } : {}),
            ...(w.ifMatch ? { ifMatch: w.ifMatch } : {}),
          });
          results.push({ path: w.path, file });
        } catch (error) {
          failedPaths.add(w.path.toLowerCase());
          results.push({ path: w.path, error: error as SeptError });
        }
      }
      return results;
    },
    async removeMany(paths, options = {}) {
      options.signal?.throwIfAborted();
      const result: RemoveManyResult = { removed: [], missing: [], failed: [] };
      for (const path of new Set(paths)) {
        // A folder path takes everything below it, as a Graph DELETE of a folder does.
        const below = [...meta.keys()].filter((p) => p.startsWith(`${path}/`));
        const existing = meta.get(path);
        const eTag = options.ifMatch?.[path];
        if (!existing && below.length === 0) {
          result.missing.push(path);
        } else if (eTag !== undefined && existing?.eTag !== eTag) {
          result.failed.push({ path, error: new SeptError("precondition_failed") });
        } else {
          for (const p of [path, ...below]) {
            files.delete(p);
            meta.delete(p);
          }
          result.removed.push(path);
        }
      }
      return result;
    },
  };
  return Object.assign(storage, { files, writes });
}
