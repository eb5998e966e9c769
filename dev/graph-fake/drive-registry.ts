// All drives under `{dataDir}/drives/{key}`, loaded on first use: one OneDrive per user (keyed by
// the user id, so two users never see each other's app folder) and the SharePoint libraries an
// admin registered (`libraries.json`; a library's app folder is shared by all its users).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DriveStore, type DriveOwner } from "./drive-store.js";

export function userKeyOf(sub: string): string {
  return createHash("sha256").update(`user:${sub}`).digest("hex").slice(0, 24);
}

export function driveIdOf(sub: string): string {
  return "b!" + createHash("sha256").update(`drive:${sub}`).digest("base64url").slice(0, 40);
}

export interface LibraryInfo {
  name: string;
  slug: string;
  driveId: string;
  /** An admin granted the app this library's site under Sites.Selected. */
  sitesSelected?: boolean;
}

export class DriveRegistry {
  private readonly drives = new Map<string, DriveStore>();
  private readonly root: string;
  private readonly librariesPath: string;
  private readonly libraries = new Map<string, LibraryInfo>();

  constructor(
    dataDir: string,
    private readonly appFolderName: string,
  ) {
    this.root = join(dataDir, "drives");
    mkdirSync(this.root, { recursive: true });
    this.librariesPath = join(dataDir, "libraries.json");
    if (existsSync(this.librariesPath)) {
      for (const lib of JSON.parse(readFileSync(this.librariesPath, "utf8")) as LibraryInfo[]) {
        this.libraries.set(lib.driveId, lib);
      }
    }
  }

  /** Registers a SharePoint document library (idempotent by name); answers its drive id. */
  addLibrary(name: string, opts: { sitesSelected?: boolean } = {}): LibraryInfo {
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    if (slug === "") throw new Error("A library needs a name with letters or digits.");
    const lib: LibraryInfo = {
      name,
      slug,
      driveId: driveIdOf(`library:${slug}`),
      ...(opts.sitesSelected ? { sitesSelected: true } : {}),
    };
    this.libraries.set(lib.driveId, lib);
    writeFileSync(this.librariesPath, JSON.stringify([...this.libraries.values()], null, 2));
    return lib;
  }

  library(driveId: string): LibraryInfo | undefined {
    return this.libraries.get(driveId);
  }

  /** The store of a registered library (created on first use). */
  forLibrary(lib: LibraryInfo): DriveStore {
    return this.forUser({ sub: `library:${lib.slug}`, upn: "", name: lib.name, kind: "library" });
  }

  forUser(owner: DriveOwner): DriveStore {
    const key = userKeyOf(owner.sub);
    let drive = this.drives.get(key);
    if (!drive) {
      drive = new DriveStore(join(this.root, key), owner, driveIdOf(owner.sub), this.appFolderName);
      this.drives.set(key, drive);
    }
    return drive;
  }

  /** A drive that already exists on disk (upload sessions and download URLs refer to it). */
  byKey(key: string): DriveStore | undefined {
    const loaded = this.drives.get(key);
    if (loaded) return loaded;
    if (!/^[0-9a-f]{24}$/.test(key) || !existsSync(join(this.root, key, "state.json"))) {
      return undefined;
    }
    const snap = JSON.parse(readFileSync(join(this.root, key, "state.json"), "utf8")) as {
      owner: DriveOwner;
    };
    return this.forUser(snap.owner);
  }

  keys(): string[] {
    return existsSync(this.root) ? readdirSync(this.root) : [];
  }

  compactAll(): void {
    for (const d of this.drives.values()) d.compact();
  }

  /** Forgets every drive; files are removed by the caller's wipe of the data dir. */
  wipe(): void {
    this.drives.clear();
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
  }
}

/** Pre-authenticated download URLs: an HMAC over user, item and expiry; survives restarts. */
export class DownloadSigner {
  private readonly secret: Buffer;

  constructor(dataDir: string) {
    const path = join(dataDir, "download-secret");
    if (existsSync(path)) {
      this.secret = readFileSync(path);
    } else {
      this.secret = randomBytes(32);
      writeFileSync(path, this.secret, { mode: 0o600 });
    }
  }

  sign(userKey: string, itemId: string, ttlMs = 3600_000): string {
    const payload = Buffer.from(
      JSON.stringify({ u: userKey, i: itemId, e: Date.now() + ttlMs }),
      "utf8",
    ).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string): { userKey: string; itemId: string } | "expired" | null {
    const [payload, mac] = token.split(".");
    if (!payload || !mac) return null;
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      u: string;
      i: string;
      e: number;
    };
    if (data.e < Date.now()) return "expired";
    return { userKey: data.u, itemId: data.i };
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}
