// Projects the user files emails into, and the rules that suggest one for a message. Pure: the
// catalogue's storage lives in services/storage/project-catalogue.ts.
import { SeptError } from "./errors.js";
import type { MessageKey } from "./i18n/index.js";

export interface Project {
  id: string;
  name: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The stored form of the catalogue (`projects.json`). */
export interface ProjectsDocument {
  schema: 1;
  projects: Project[];
}

export const PROJECT_NAME_MAX = 120;
const MAX_PROJECT_ID = 128;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return true;
  }
  return false;
}

/** Trimmed, 1–120 characters (code points), on one line; else SeptError "bad_request". */
export function normalizeProjectName(name: string): string {
  const trimmed = typeof name === "string" ? name.trim() : "";
  const length = [...trimmed].length;
  if (length < 1 || length > PROJECT_NAME_MAX || hasControlCharacter(trimmed)) {
    throw new SeptError("bad_request", {
      message: "A project name needs 1 to 120 characters on one line.",
      params: { reason: "name_invalid", min: 1, max: PROJECT_NAME_MAX },
    });
  }
  return trimmed;
}

/** What two names are compared by: "Tower B" and "tower b" are the same project name. */
export function projectNameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

/** The non-archived project already holding `name` (other than `exceptId`), if any. */
export function findNameClash(
  projects: readonly Project[],
  name: string,
  exceptId?: string,
): Project | undefined {
  const key = projectNameKey(name);
  return projects.find((p) => !p.archived && p.id !== exceptId && projectNameKey(p.name) === key);
}

export function nameTakenError(existing: Project): SeptError {
  return new SeptError("conflict", {
    message: "A project with this name already exists.",
    params: { reason: "name_taken", name: existing.name, projectId: existing.id },
  });
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** By name in the reader's collation; the id keeps equal names in a stable order. */
export function sortProjects(projects: readonly Project[]): Project[] {
  return [...projects].sort((a, b) => a.name.localeCompare(b.name) || byCodeUnits(a.id, b.id));
}

export function isProjectId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MAX_PROJECT_ID &&
    !hasControlCharacter(value)
  );
}

function parseProject(value: unknown): Project | null {
  if (!value || typeof value !== "object") return null;
  const p = value as Record<string, unknown>;
  if (!isProjectId(p.id) || typeof p.name !== "string" || p.name.trim() === "") return null;
  return {
    id: p.id,
    name: p.name,
    archived: p.archived === true,
    createdAt: typeof p.createdAt === "string" ? p.createdAt : "",
    updatedAt: typeof p.updatedAt === "string" ? p.updatedAt : "",
  };
}

/**
 * Parses `projects.json`. Another schema is refused rather than read in part: writing back what
 * this version understood would drop what a newer version stored.
 */
export function parseProjectsDocument(value: unknown): ProjectsDocument {
  const doc = value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  if (!doc || doc.schema !== 1 || !Array.isArray(doc.projects)) {
    throw new SeptError("unknown", {
      message: "projects.json is not a catalogue this version of SEPT can read.",
    });
  }
  const seen = new Set<string>();
  const projects: Project[] = [];
  for (const item of doc.projects) {
    const project = parseProject(item);
    if (project && !seen.has(project.id)) {
      seen.add(project.id);
      projects.push(project);
    }
  }
  return { schema: 1, projects };
}

/** The dictionary key explaining a catalogue refusal, or null for any other error. */
export function projectErrorKey(error: unknown): MessageKey | null {
  if (!(error instanceof SeptError)) return null;
  if (error.params.reason === "name_invalid") return "projects.nameInvalid";
  if (error.params.reason === "name_taken") return "projects.nameTaken";
  return null;
}

// --- Suggestions -------------------------------------------------------------------------------

/** What a suggestion needs of an email already saved (from its StoredEmailRecord). */
export interface SavedForSuggestion {
  projectId: string;
  conversationId: string | null;
  fromAddress: string | null;
  toAddresses: string[];
  /** When it was saved; breaks ties in favour of the project used most recently. */
  savedAt?: string;
}

/** The message being saved. */
export interface MessageForSuggestion {
  conversationId: string | null;
  from: string | null;
  to: string[];
  cc: string[];
}

export type SuggestionReason = "conversation" | "sender_domain" | "recipient_domain";

export interface ProjectSuggestion {
  projectId: string;
  reason: SuggestionReason;
  /** Saves that matched the rule for this project (the "{count}" of the suggestion text). */
  count: number;
}

/** The lower-cased domain of an address ("a@B.com", "Name <a@b.com>"), or null. */
export function emailDomain(address: string | null | undefined): string | null {
  if (!address) return null;
  const match = /@([^@\s<>]+?)\.?>?\s*$/.exec(address.trim());
  return match?.[1] ? match[1].toLowerCase() : null;
}

interface Tally {
  project: Project;
  count: number;
  latest: string;
}

/** Most matching saves; then the most recent save; then name order, so the answer is stable. */
function winner(tallies: Iterable<Tally>): Tally | null {
  let best: Tally | null = null;
  for (const t of tallies) {
    if (
      !best ||
      t.count > best.count ||
      (t.count === best.count &&
        (t.latest > best.latest ||
          (t.latest === best.latest &&
            (t.project.name.localeCompare(best.project.name) ||
              byCodeUnits(t.project.id, best.project.id)) < 0)))
    ) {
      best = t;
    }
  }
  return best;
}

/**
 * Which project this message most likely belongs to, by the first rule that finds one:
 * 1. the project holding most saves from the same conversation;
 * 2. else the project holding most saves from the sender's domain;
 * 3. else the project holding most saves sent to any of the message's To/Cc domains.
 * The user's own domain (`self`) counts for neither 2 nor 3: colleagues write about every project.
 * Archived projects, and saves to projects no longer in the catalogue, are never suggested.
 */
export function suggestProject(
  saved: ReadonlyArray<SavedForSuggestion>,
  message: MessageForSuggestion,
  projects: readonly Project[],
  self?: string,
): ProjectSuggestion | null {
  const active = new Map(projects.filter((p) => !p.archived).map((p) => [p.id, p]));
  const own = emailDomain(self);
  const outside = (domain: string | null): domain is string => domain !== null && domain !== own;

  const best = (reason: SuggestionReason, matches: (s: SavedForSuggestion) => boolean) => {
    const tallies = new Map<string, Tally>();
    for (const s of saved) {
      const project = active.get(s.projectId);
      if (!project || !matches(s)) continue;
      const tally = tallies.get(project.id) ?? { project, count: 0, latest: "" };
      tally.count += 1;
      if (s.savedAt && s.savedAt > tally.latest) tally.latest = s.savedAt;
      tallies.set(project.id, tally);
    }
    const top = winner(tallies.values());
    return top ? { projectId: top.project.id, reason, count: top.count } : null;
  };

  const conversation = message.conversationId;
  const byConversation = conversation
    ? best("conversation", (s) => s.conversationId === conversation)
    : null;
  if (byConversation) return byConversation;

  const sender = emailDomain(message.from);
  const bySender = outside(sender)
    ? best("sender_domain", (s) => emailDomain(s.fromAddress) === sender)
    : null;
  if (bySender) return bySender;

  const recipients = new Set([...message.to, ...message.cc].map(emailDomain).filter(outside));
  if (recipients.size === 0) return null;
  return best("recipient_domain", (s) =>
    s.toAddresses.some((a) => recipients.has(emailDomain(a) ?? "")),
  );
}
