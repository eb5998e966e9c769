// The organisation's policy for SEPT: a JSON file admins serve beside the add-in and edit without
// rebuilding. Types, defaults and a pure validator; reading the file is services/consent/org-policy.ts.
// Over 300 lines on purpose: one validator for every field of one file, its small checks beside it.
import { newerPolicyVersion } from "./consent/policy.js";
import { SEPT_PARTIES, type ReceiptParties, type ReceiptParty } from "./consent/receipt.js";
import { translate, type Language, type MessageKey } from "./i18n/index.js";

export interface RetentionLimits {
  /** Preselected retention for a new user. */
  defaultDays: number;
  minDays: number;
  maxDays: number;
  /** Whether a user may keep saved emails until they delete them. */
  allowForever: boolean;
}

export type StorageTarget =
  /** Each user's OneDrive app folder (Files.ReadWrite.AppFolder): the least privilege. */
  | { kind: "appFolder" }
  /** A shared SharePoint document library, by Graph drive id (needs more permissions). */
  | { kind: "sharePoint"; driveId: string };

export interface SeedProject {
  id: string;
  name: string;
}

export interface OrgPolicy {
  retention: RetentionLimits;
  /** false: a metadata-only tenant; SEPT never saves message bodies or attachments. */
  allowContent: boolean;
  /** The privacy policy version users must have consented to. */
  requiredPolicyVersion: string;
  privacyPolicyUrl: string;
  storage: StorageTarget;
  projects: SeedProject[];
  /**
   * Who consent receipts name: the data controller, a processor acting on its behalf, and the
   * jurisdiction (defaults: SEPT SOFTWARE Inc, Calgary, Alberta, Canada, as SEPT's policy says).
   */
  receipt: ReceiptParties;
}

/** One thing wrong with the file: where, and a dictionary key explaining it. */
export interface OrgPolicyProblem {
  path: string;
  key: MessageKey;
  params: Record<string, string | number>;
}

export const DAYS_LIMIT = 36_500;
export const MAX_PROJECTS = 500;
// The project catalogue's own limit on names (core/projects.ts PROJECT_NAME_MAX).
const MAX_TEXT = 120;
const PROJECT_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Graph drive ids of SharePoint libraries look like "b!…" (base64url plus "!").
const DRIVE_ID = /^[A-Za-z0-9!_-]{1,256}$/;
const KNOWN_FIELDS = new Set([
  "retention",
  "allowContent",
  "requiredPolicyVersion",
  "privacyPolicyUrl",
  "storage",
  "projects",
  "dataController",
  "dataProcessor",
  "jurisdiction",
]);

/**
 * The policy when no file is served at all: what SEPT does out of the box. The privacy policy
 * comes from the build (ADDIN build configuration), so the defaults match the deployed build.
 */
export function defaultOrgPolicy(build: {
  privacyPolicyUrl: string;
  privacyPolicyVersion: string;
}): OrgPolicy {
  return {
    retention: { defaultDays: 365, minDays: 30, maxDays: 3650, allowForever: false },
    allowContent: true,
    requiredPolicyVersion: build.privacyPolicyVersion,
    privacyPolicyUrl: build.privacyPolicyUrl,
    storage: { kind: "appFolder" },
    projects: [],
    receipt: SEPT_PARTIES,
  };
}

/**
 * The policy when no file is served, or one that cannot be used: SEPT cannot know what the admin
 * allows, so it takes the most protective reading that still works: metadata only (no message
 * content leaves the mailbox), the app folder (least privilege), no seeded projects, retention
 * within the standard bounds and never "forever". Saving, listing and deleting still work.
 */
export function restrictiveOrgPolicy(defaults: OrgPolicy): OrgPolicy {
  return {
    ...defaults,
    retention: { ...defaults.retention, allowForever: false },
    allowContent: false,
    storage: { kind: "appFolder" },
    projects: [],
  };
}

type Check<T> = { ok: true; value: T } | { ok: false };

class Collector {
  readonly problems: OrgPolicyProblem[] = [];

  add(path: string, key: MessageKey, params: Record<string, string | number> = {}): Check<never> {
    this.problems.push({ path, key, params: { path, ...params } });
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys starting with "$" or "_" are for admins' notes ("$schema", "_comment") and ignored. */
function unknownFields(
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
  prefix: string,
  out: Collector,
): void {
  for (const key of Object.keys(value)) {
    if (known.has(key) || key.startsWith("$") || key.startsWith("_")) continue;
    out.add(`${prefix}${key}`, "orgPolicy.problem.unknownField");
  }
}

function days(value: unknown, path: string, out: Collector): Check<number> {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= DAYS_LIMIT) {
    return { ok: true, value };
  }
  return out.add(path, "orgPolicy.problem.days", { min: 1, max: DAYS_LIMIT });
}

function bool(value: unknown, path: string, out: Collector): Check<boolean> {
  return typeof value === "boolean"
    ? { ok: true, value }
    : out.add(path, "orgPolicy.problem.boolean");
}

function text(value: unknown, path: string, out: Collector, max = MAX_TEXT): Check<string> {
  if (typeof value === "string" && value.trim().length > 0 && value.length <= max) {
    return { ok: true, value: value.trim() };
  }
  return out.add(path, "orgPolicy.problem.text", { max });
}

function httpsUrl(value: unknown, path: string, out: Collector): Check<string> {
  if (typeof value === "string") {
    try {
      const url = new URL(value);
      if (url.protocol === "https:") return { ok: true, value: url.toString() };
    } catch {
      // reported below
    }
  }
  return out.add(path, "orgPolicy.problem.httpsUrl");
}

function retention(value: unknown, defaults: RetentionLimits, out: Collector): RetentionLimits {
  if (!isRecord(value)) {
    out.add("retention", "orgPolicy.problem.object");
    return defaults;
  }
  unknownFields(
    value,
    new Set(["defaultDays", "minDays", "maxDays", "allowForever"]),
    "retention.",
    out,
  );
  const result = { ...defaults };
  for (const field of ["defaultDays", "minDays", "maxDays"] as const) {
    if (value[field] === undefined) continue;
    const checked = days(value[field], `retention.${field}`, out);
    if (checked.ok) result[field] = checked.value;
  }
  if (value.allowForever !== undefined) {
    const checked = bool(value.allowForever, "retention.allowForever", out);
    if (checked.ok) result.allowForever = checked.value;
  }
  if (!(result.minDays <= result.defaultDays && result.defaultDays <= result.maxDays)) {
    // The values as the admin wrote them in the JSON file (3650, not a localised 3,650).
    out.add("retention", "orgPolicy.problem.retentionOrder", {
      min: String(result.minDays),
      default: String(result.defaultDays),
      max: String(result.maxDays),
    });
  }
  return result;
}

function storage(value: unknown, out: Collector): StorageTarget {
  if (!isRecord(value)) {
    out.add("storage", "orgPolicy.problem.object");
    return { kind: "appFolder" };
  }
  if (value.kind === "appFolder") {
    unknownFields(value, new Set(["kind"]), "storage.", out);
    return { kind: "appFolder" };
  }
  if (value.kind === "sharePoint") {
    unknownFields(value, new Set(["kind", "driveId"]), "storage.", out);
    if (typeof value.driveId === "string" && DRIVE_ID.test(value.driveId)) {
      return { kind: "sharePoint", driveId: value.driveId };
    }
    out.add("storage.driveId", "orgPolicy.problem.driveId");
    return { kind: "appFolder" };
  }
  out.add("storage.kind", "orgPolicy.problem.storageKind");
  return { kind: "appFolder" };
}

function projects(value: unknown, out: Collector): SeedProject[] {
  if (!Array.isArray(value) || value.length > MAX_PROJECTS) {
    out.add("projects", "orgPolicy.problem.list", { max: MAX_PROJECTS });
    return [];
  }
  const seen = new Set<string>();
  const result: SeedProject[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `projects[${index}]`;
    if (!isRecord(entry)) {
      out.add(path, "orgPolicy.problem.object");
      return;
    }
    unknownFields(entry, new Set(["id", "name"]), `${path}.`, out);
    const id =
      typeof entry.id === "string" && PROJECT_ID.test(entry.id)
        ? entry.id
        : (out.add(`${path}.id`, "orgPolicy.problem.projectId"), null);
    const name = text(entry.name, `${path}.name`, out);
    if (id === null || !name.ok) return;
    if (seen.has(id)) {
      out.add(path, "orgPolicy.problem.duplicateProject", { id });
      return;
    }
    seen.add(id);
    result.push({ id, name: name.value });
  });
  return result;
}

function party(value: unknown, path: string, out: Collector): ReceiptParty | null {
  if (!isRecord(value)) {
    out.add(path, "orgPolicy.problem.object");
    return null;
  }
  unknownFields(value, new Set(["name", "contact", "email", "url", "address"]), `${path}.`, out);
  const name = text(value.name, `${path}.name`, out);
  const contact = text(value.contact, `${path}.contact`, out);
  const email =
    typeof value.email === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.email)
      ? { ok: true as const, value: value.email }
      : out.add(`${path}.email`, "orgPolicy.problem.email");
  const url = httpsUrl(value.url, `${path}.url`, out);
  const address = value.address;
  if (!isRecord(address)) {
    out.add(`${path}.address`, "orgPolicy.problem.object");
    return null;
  }
  unknownFields(
    address,
    new Set(["street", "locality", "region", "country"]),
    `${path}.address.`,
    out,
  );
  const locality = text(address.locality, `${path}.address.locality`, out);
  const region = text(address.region, `${path}.address.region`, out);
  const country =
    typeof address.country === "string" && /^[A-Z]{2}$/.test(address.country)
      ? { ok: true as const, value: address.country }
      : out.add(`${path}.address.country`, "orgPolicy.problem.country");
  const street =
    address.street === undefined ? null : text(address.street, `${path}.address.street`, out);
  if (
    !name.ok ||
    !contact.ok ||
    !email.ok ||
    !url.ok ||
    !locality.ok ||
    !region.ok ||
    !country.ok
  ) {
    return null;
  }
  if (street && !street.ok) return null;
  return {
    name: name.value,
    contact: contact.value,
    email: email.value,
    url: url.value,
    address: {
      locality: locality.value,
      region: region.value,
      country: country.value,
      ...(street?.ok ? { street: street.value } : {}),
    },
  };
}

export interface OrgPolicyValidation {
  /** `input` read over `defaults`; meaningful only when `problems` is empty. */
  policy: OrgPolicy;
  problems: OrgPolicyProblem[];
}

/**
 * Checks a parsed org-policy.json. Every field is optional (absent means the default); every
 * present field must be valid, and unknown fields are reported so that a misspelt
 * "allowcontent" cannot be silently ignored. Pure: no I/O, no clock.
 */
export function validateOrgPolicy(input: unknown, defaults: OrgPolicy): OrgPolicyValidation {
  const out = new Collector();
  if (!isRecord(input)) {
    out.add("", "orgPolicy.problem.notObject");
    return { policy: defaults, problems: out.problems };
  }
  unknownFields(input, KNOWN_FIELDS, "", out);
  const policy: OrgPolicy = {
    ...defaults,
    retention:
      input.retention === undefined
        ? { ...defaults.retention }
        : retention(input.retention, defaults.retention, out),
    storage: input.storage === undefined ? defaults.storage : storage(input.storage, out),
    projects: input.projects === undefined ? defaults.projects : projects(input.projects, out),
  };
  if (input.allowContent !== undefined) {
    const checked = bool(input.allowContent, "allowContent", out);
    if (checked.ok) policy.allowContent = checked.value;
  }
  if (input.requiredPolicyVersion !== undefined) {
    const checked = text(input.requiredPolicyVersion, "requiredPolicyVersion", out, 64);
    // A file may ask for a newer privacy policy than the build's, never an older one: an old
    // file left on the host must not stop users being asked again about a new policy.
    if (checked.ok) {
      policy.requiredPolicyVersion = newerPolicyVersion(
        defaults.requiredPolicyVersion,
        checked.value,
      );
    }
  }
  if (
    input.dataController !== undefined ||
    input.dataProcessor !== undefined ||
    input.jurisdiction !== undefined
  ) {
    const controller =
      input.dataController === undefined
        ? defaults.receipt.controller
        : party(input.dataController, "dataController", out);
    const processor =
      input.dataProcessor === undefined || input.dataProcessor === null
        ? null
        : party(input.dataProcessor, "dataProcessor", out);
    const jurisdiction =
      input.jurisdiction === undefined
        ? { ok: true as const, value: defaults.receipt.jurisdiction }
        : text(input.jurisdiction, "jurisdiction", out, 64);
    if (controller && jurisdiction.ok) {
      policy.receipt = { controller, processor, jurisdiction: jurisdiction.value };
    }
  }
  if (input.privacyPolicyUrl !== undefined) {
    const checked = httpsUrl(input.privacyPolicyUrl, "privacyPolicyUrl", out);
    if (checked.ok) policy.privacyPolicyUrl = checked.value;
  }
  return { policy, problems: out.problems };
}

/** A problem as one translated line, e.g. "retention.maxDays must be a whole number of days…". */
export function describeOrgPolicyProblem(language: Language, problem: OrgPolicyProblem): string {
  return translate(language, problem.key, problem.params);
}
