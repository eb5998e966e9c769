// Paths below the storage root: checked before any request is made, and turned into Graph URLs.
import { SeptError } from "../../../core/errors.js";
import { isRecord, malformed } from "./drive-item.js";

// Characters OneDrive (and OneDrive for Business / SharePoint) reserve in names (contract §2).
const RESERVED_CHARS = /["*:<>?/\\|#%]/;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_PATH_CHARS = 400;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function badPath(path: string, why: string): SeptError {
  return new SeptError("bad_request", { message: `Invalid storage path '${path}': ${why}.` });
}

/**
 * Storage paths are built from ids, never from user text, so anything OneDrive might refuse or
 * reinterpret is a programming error: refuse it before a request is made.
 */
export function parsePath(path: string, kind: "file" | "folder"): string[] {
  if (typeof path !== "string") throw badPath(String(path), "not a string");
  let inner = path.startsWith("/") ? path.slice(1) : path;
  if (kind === "folder" && inner.endsWith("/")) inner = inner.slice(0, -1);
  if (inner === "") {
    if (kind === "folder") return [];
    throw badPath(path, "empty");
  }
  if (inner.length > MAX_PATH_CHARS) throw badPath(path, "too long");
  const segments = inner.split("/");
  for (const segment of segments) {
    if (segment === "") throw badPath(path, "empty segment");
    if (segment === "." || segment === "..") throw badPath(path, "relative segment");
    if (RESERVED_CHARS.test(segment) || hasControlCharacter(segment)) {
      throw badPath(path, "reserved character");
    }
    if (segment !== segment.trim()) throw badPath(path, "leading or trailing space");
    if (segment.startsWith("~") || segment.endsWith(".")) throw badPath(path, "reserved form");
    const lower = segment.toLowerCase();
    if (
      RESERVED_NAMES.test(segment) ||
      lower === ".lock" ||
      lower === "desktop.ini" ||
      lower.includes("_vti_")
    ) {
      throw badPath(path, "reserved name");
    }
  }
  return segments;
}

export interface DrivePaths {
  /** Resolves once the per-user folder is known (asked once); at once without one. */
  ready(signal: AbortSignal | undefined): Promise<void>;
  /** The URL of an item below the root (`root:/a/b`), or of one of its actions (`root:/a/b:/x`). */
  pathUrl(segments: readonly string[], action?: string): string;
}

/**
 * `root` is the drive item everything lives below. With `askUserId` (a shared library), every
 * path is below `users/{id}`, the id that `GET /me` answers (`askUserId` makes that request).
 */
export function createDrivePaths(
  root: string,
  askUserId: ((signal: AbortSignal | undefined) => Promise<unknown>) | undefined,
): DrivePaths {
  /** `users/{id}` in a shared library (set before the first request), else nothing. */
  let prefix: string[] = [];
  let prefixReady: Promise<void> | null = null;

  return {
    ready(signal) {
      if (!askUserId) return Promise.resolve();
      prefixReady ??= askUserId(signal).then((me: unknown) => {
        if (!isRecord(me) || typeof me.id !== "string" || me.id === "") {
          throw malformed("a user without id");
        }
        prefix = ["users", me.id];
      });
      return prefixReady.catch((error: unknown) => {
        prefixReady = null;
        throw error;
      });
    },

    pathUrl(segments, action) {
      const full = [...prefix, ...segments];
      if (full.length === 0) return action ? `${root}/${action}` : root;
      const encoded = full.map(encodeURIComponent).join("/");
      return action ? `${root}:/${encoded}:/${action}` : `${root}:/${encoded}`;
    },
  };
}
