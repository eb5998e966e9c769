// How long stored emails are kept (privacy policy §5: "retained according to your account
// settings"). Pure: no storage, no clock of its own; the time is always passed in.
import { SeptError } from "./errors.js";
import type { RetentionLimits } from "./org-policy.js";

/** A number of days after the save, or until the user deletes the email themselves. */
export type RetentionSetting = { kind: "days"; days: number } | { kind: "forever" };

/** The org policy's bounds on the setting (until the org policy issue lands: configuration). */
export type RetentionBounds = RetentionLimits;

/** The choices the settings view offers first; any whole number of days within bounds works too. */
export const RETENTION_PRESET_DAYS: readonly number[] = [30, 90, 180, 365];

export const FOREVER: RetentionSetting = { kind: "forever" };

export const DAY_MS = 24 * 60 * 60 * 1000;

export function retentionDays(days: number): RetentionSetting {
  return { kind: "days", days };
}

export function sameRetention(a: RetentionSetting, b: RetentionSetting): boolean {
  return a.kind === b.kind && (a.kind === "forever" || a.days === (b as { days: number }).days);
}

/** What a new user gets: the org's default number of days. */
export function defaultRetention(bounds: RetentionBounds): RetentionSetting {
  return retentionDays(bounds.defaultDays);
}

/** The presets the org allows, then "until I delete" when allowed. */
export function retentionChoices(bounds: RetentionBounds): RetentionSetting[] {
  const presets = RETENTION_PRESET_DAYS.filter((d) => d >= bounds.minDays && d <= bounds.maxDays);
  return [...presets.map(retentionDays), ...(bounds.allowForever ? [FOREVER] : [])];
}

export type RetentionProblem =
  /** Not a whole, positive number of days. */
  | { kind: "not_whole_days"; minDays: number; maxDays: number }
  | { kind: "below_minimum"; minDays: number; maxDays: number }
  | { kind: "above_maximum"; minDays: number; maxDays: number }
  | { kind: "forever_not_allowed"; maxDays: number };

/** Why a setting is not allowed under these bounds, or null when it is. */
export function retentionProblem(
  setting: RetentionSetting,
  bounds: RetentionBounds,
): RetentionProblem | null {
  if (setting.kind === "forever") {
    return bounds.allowForever ? null : { kind: "forever_not_allowed", maxDays: bounds.maxDays };
  }
  const range = { minDays: bounds.minDays, maxDays: bounds.maxDays };
  if (!Number.isSafeInteger(setting.days) || setting.days < 1) {
    return { kind: "not_whole_days", ...range };
  }
  if (setting.days < bounds.minDays) return { kind: "below_minimum", ...range };
  if (setting.days > bounds.maxDays) return { kind: "above_maximum", ...range };
  return null;
}

/** The same problem as an error the pane can explain ("Choose between 30 and 3650 days"). */
export function retentionError(problem: RetentionProblem): SeptError {
  if (problem.kind === "forever_not_allowed") {
    return new SeptError("retention_forever_not_allowed", {
      message: "The organisation does not allow keeping stored emails until the user deletes them.",
      params: { max: problem.maxDays },
    });
  }
  return new SeptError("retention_out_of_bounds", {
    message: `The retention period must be a whole number of days, ${problem.minDays}–${problem.maxDays}.`,
    params: { min: problem.minDays, max: problem.maxDays },
  });
}

/** Throws the explaining SeptError unless the setting is allowed under these bounds. */
export function assertRetentionAllowed(setting: RetentionSetting, bounds: RetentionBounds): void {
  const problem = retentionProblem(setting, bounds);
  if (problem) throw retentionError(problem);
}

/**
 * The setting that applies: a stored setting the org's bounds no longer allow (the admin changed
 * the policy after the user chose) is brought to the nearest allowed one, never dropped, so a
 * purge always runs under the org's rules. A malformed day count reads as the default.
 */
export function clampRetention(
  setting: RetentionSetting,
  bounds: RetentionBounds,
): RetentionSetting {
  if (setting.kind === "forever")
    return bounds.allowForever ? setting : retentionDays(bounds.maxDays);
  if (!Number.isSafeInteger(setting.days) || setting.days < 1) return defaultRetention(bounds);
  return retentionDays(Math.min(bounds.maxDays, Math.max(bounds.minDays, setting.days)));
}

/** A setting read from storage (which the user controls): anything unexpected is null. */
export function parseRetentionSetting(value: unknown): RetentionSetting | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.kind === "forever") return FOREVER;
  if (
    v.kind === "days" &&
    typeof v.days === "number" &&
    Number.isSafeInteger(v.days) &&
    v.days > 0
  ) {
    return retentionDays(v.days);
  }
  return null;
}

/** A compact code for logs and exports: an ISO 8601 duration ("P90D"), or "forever". */
export function retentionCode(setting: RetentionSetting): string {
  return setting.kind === "forever" ? "forever" : `P${setting.days}D`;
}

/**
 * When an email saved at `savedAt` expires: saved-at plus the period (whole days of 24 h, in UTC,
 * so no daylight-saving shift). Null when kept until deleted, or when `savedAt` is unreadable:
 * an email whose save time is unknown is never purged on a guess.
 */
export function expiresAt(savedAt: string, setting: RetentionSetting): string | null {
  if (setting.kind === "forever") return null;
  const saved = Date.parse(savedAt);
  if (Number.isNaN(saved)) return null;
  const expiry = saved + setting.days * DAY_MS;
  // Beyond what a Date can hold: as good as never.
  return Number.isFinite(expiry) && Math.abs(expiry) <= 8.64e15
    ? new Date(expiry).toISOString()
    : null;
}

/** Expired from the instant of expiry on. */
export function isExpired(
  entry: { savedAt: string },
  setting: RetentionSetting,
  now: Date,
): boolean {
  const expiry = expiresAt(entry.savedAt, setting);
  return expiry !== null && Date.parse(expiry) <= now.getTime();
}

/** How many of `entries` a purge under `setting` would delete at `now`. */
export function countExpiring(
  entries: ReadonlyArray<{ savedAt: string }>,
  setting: RetentionSetting,
  now: Date,
): number {
  let count = 0;
  for (const entry of entries) if (isExpired(entry, setting, now)) count++;
  return count;
}

/** Whole days left before expiry (0 on the last day and after), or null when never. */
export function daysLeft(
  entry: { savedAt: string },
  setting: RetentionSetting,
  now: Date,
): number | null {
  const expiry = expiresAt(entry.savedAt, setting);
  if (expiry === null) return null;
  return Math.max(0, Math.ceil((Date.parse(expiry) - now.getTime()) / DAY_MS));
}
