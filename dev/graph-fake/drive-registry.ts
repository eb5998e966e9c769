// All users' drives under `{dataDir}/drives/{userKey}`, loaded on first use. Drive state is per
// user (`sub`), so two users never see each other's app folder.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DriveStore, type DriveOwner } from "./drive-store.js";

export function userKeyOf(sub: string): string {
  return createHash("sha256").update(`user:${sub}`).digest("hex").slice(0, 24);
}

function driveIdOf(sub: string): string {
  return "b!" + createHash("sha256").update(`drive:${sub}`).digest("base64url").slice(0, 40);
}

export class DriveRegistry {
  private readonly drives = new Map<string, DriveStore>();
  private readonly root: string;

  constructor(
    dataDir: string,
    private readonly appFolderName: string,
  ) {
    this.root = join(dataDir, "drives");
    mkdirSync(this.root, { recursive: true });
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
