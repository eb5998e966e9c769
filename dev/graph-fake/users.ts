// The users the fake knows, each with a mailbox and (unless turned off) a OneDrive. A user is named
// by a stable id (the token's `oid`, else `sub`). Users met through a delegated token are added on
// first use and share the read-only sample mailbox; users seeded with `seedUser` (or
// `POST /_fake/users`) get a mailbox of their own. Seeds survive a restart (`users.json`); messages
// added at run time to a seeded mailbox do not.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { principalIdOf } from "./auth.js";
import { GraphError } from "./errors.js";
import type { FakeRequest, SubjectUser } from "./exchange.js";
import { MailService, type MailEnv } from "./mail.js";
import type { MailMessage } from "./seed.js";
import type { DevTokenClaims, FakeUserSeed } from "./types.js";

export interface UserEntry extends SubjectUser {
  mail: MailService;
  /** True when the mailbox is the user's own (seeded), false when it is the shared sample. */
  ownMailbox: boolean;
  /** What a seeded mailbox started as. */
  mailboxKind: "sample" | "empty";
}

interface StoredSeed {
  id: string;
  upn: string;
  name: string;
  oneDrive: boolean;
  mailbox: "sample" | "empty";
}

/** A copy of the sample messages: categories change with PATCH, so each mailbox has its own. */
function copyMessages(messages: MailMessage[]): MailMessage[] {
  return messages.map((m) => ({ ...m, categories: [...m.categories] }));
}

export class UserDirectory {
  private readonly users = new Map<string, UserEntry>();
  private readonly path: string;
  readonly sharedMail: MailService;

  constructor(
    dataDir: string,
    private readonly sample: MailMessage[],
    private readonly mailEnv: MailEnv,
  ) {
    this.sharedMail = new MailService(sample, mailEnv);
    this.path = join(dataDir, "users.json");
    if (existsSync(this.path)) {
      const seeds = JSON.parse(readFileSync(this.path, "utf8")) as StoredSeed[];
      for (const s of seeds) this.add(s);
    }
  }

  private add(s: StoredSeed): UserEntry {
    const mail =
      s.mailbox === "empty"
        ? new MailService([], this.mailEnv)
        : new MailService(copyMessages(this.sample), this.mailEnv);
    const entry: UserEntry = {
      id: s.id,
      upn: s.upn,
      name: s.name,
      oneDrive: s.oneDrive,
      mail,
      ownMailbox: true,
      mailboxKind: s.mailbox,
    };
    this.users.set(s.id, entry);
    return entry;
  }

  private persist(): void {
    const seeds: StoredSeed[] = [...this.users.values()]
      .filter((u) => u.ownMailbox)
      .map((u) => ({
        id: u.id,
        upn: u.upn,
        name: u.name,
        oneDrive: u.oneDrive,
        mailbox: u.mailboxKind,
      }));
    writeFileSync(this.path, JSON.stringify(seeds, null, 2));
  }

  /** Adds or replaces a user with a mailbox of their own. */
  seed(seed: FakeUserSeed): UserEntry {
    if (seed.id.trim() === "" || /[/?#]/.test(seed.id)) {
      throw new GraphError(400, "invalidRequest", "A user id must be non-empty, without / ? #.");
    }
    const entry = this.add({
      id: seed.id,
      upn: seed.upn ?? `${seed.id}@contoso-build.example`,
      name: seed.name ?? seed.id,
      oneDrive: seed.oneDrive ?? true,
      mailbox: seed.mailbox ?? "sample",
    });
    this.persist();
    return entry;
  }

  /** The signed-in user of a delegated token; added on first use with the shared sample mailbox. */
  fromToken(claims: DevTokenClaims): UserEntry {
    const id = principalIdOf(claims);
    let entry = this.users.get(id);
    if (!entry) {
      entry = {
        id,
        upn: claims.upn,
        name: claims.name,
        oneDrive: true,
        mail: this.sharedMail,
        ownMailbox: false,
        mailboxKind: "sample",
      };
      this.users.set(id, entry);
    }
    return entry;
  }

  /** A user by id, or by user principal name (case-insensitive), as `/users/{id|upn}` accepts. */
  find(idOrUpn: string): UserEntry | undefined {
    const byId = this.users.get(idOrUpn);
    if (byId) return byId;
    const lower = idOrUpn.toLowerCase();
    return [...this.users.values()].find((u) => u.upn !== "" && u.upn.toLowerCase() === lower);
  }

  get(id: string): UserEntry | undefined {
    return this.users.get(id);
  }

  all(): UserEntry[] {
    return [...this.users.values()];
  }

  /** Sets whether a user has a provisioned OneDrive (the "no OneDrive" switch for one user). */
  setOneDrive(id: string, oneDrive: boolean): void {
    const u = this.users.get(id);
    if (!u) throw new GraphError(404, "itemNotFound", `No user '${id}'.`);
    u.oneDrive = oneDrive;
    if (u.ownMailbox) this.persist();
  }
}

/** 404 for a `/users/{id}` that names nobody, as Graph's directory answers. */
export function userNotFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/**
 * Resolves `/me/…` and `/users/{id}/…` to the user they address and the path routes match
 * (`/users/{id}/x` is routed as `/me/x`). Other paths come back unchanged without a subject.
 */
export function resolveSubject(
  req: FakeRequest,
  directory: UserDirectory,
): { routePath: string; subject?: UserEntry } {
  const user = req.user!;
  const me = /^\/v1\.0\/me(\/.*)?$/.exec(req.path);
  if (me) {
    if (user.app) {
      throw new GraphError(
        400,
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
      );
    }
    return { routePath: req.path, subject: directory.fromToken(user.claims) };
  }
  const byUser = /^\/v1\.0\/users\/([^/]+)(\/.*)?$/.exec(req.path);
  if (!byUser) return { routePath: req.path };
  let id: string;
  try {
    id = decodeURIComponent(byUser[1] ?? "");
  } catch {
    throw userNotFound(byUser[1] ?? "");
  }
  const tail = byUser[2] ?? "";
  if (!user.app) directory.fromToken(user.claims);
  const subject = directory.find(id);
  if (!subject) throw userNotFound(id);
  if (!user.app && subject.id !== user.principalId) {
    // A delegated token reaches only its own user's mailbox and drive.
    if (/^\/(drive|drives)(\/|$)/.test(tail))
      throw new GraphError(403, "accessDenied", "Access denied");
    if (/^\/(messages|mailFolders)(\/|$)/.test(tail)) {
      throw new GraphError(
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
      );
    }
    throw new GraphError(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
  }
  return { routePath: `/v1.0/me${tail}`, subject };
}
