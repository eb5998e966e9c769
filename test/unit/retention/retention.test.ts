import { describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import { translate } from "../../../src/core/i18n/index.js";
import {
  FOREVER,
  assertRetentionAllowed,
  clampRetention,
  countExpiring,
  daysLeft,
  defaultRetention,
  expiresAt,
  isExpired,
  parseRetentionSetting,
  retentionChoices,
  retentionCode,
  retentionDays,
  retentionProblem,
  type RetentionBounds,
} from "../../../src/core/retention.js";

const bounds: RetentionBounds = { defaultDays: 90, minDays: 30, maxDays: 365, allowForever: true };
const strict: RetentionBounds = { defaultDays: 90, minDays: 60, maxDays: 180, allowForever: false };

const errorOf = (fn: () => void): SeptError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SeptError) return error;
    throw error;
  }
  throw new Error("expected a SeptError");
};

describe("expiry", () => {
  it("expires saved-at plus the period, to the millisecond", () => {
    expect(expiresAt("2026-01-01T10:00:00.000Z", retentionDays(30))).toBe(
      "2026-01-31T10:00:00.000Z",
    );
    expect(expiresAt("2026-01-01T10:00:00Z", retentionDays(365))).toBe("2027-01-01T10:00:00.000Z");
  });

  it("counts whole days of 24 hours across a daylight-saving change", () => {
    // Europe and North America change clocks in March; expiry is in UTC, so no hour moves.
    expect(expiresAt("2026-03-01T00:30:00Z", retentionDays(30))).toBe("2026-03-31T00:30:00.000Z");
  });

  it("never expires an email kept until the user deletes it", () => {
    expect(expiresAt("2000-01-01T00:00:00Z", FOREVER)).toBeNull();
    expect(isExpired({ savedAt: "2000-01-01T00:00:00Z" }, FOREVER, new Date())).toBe(false);
  });

  it("does not purge on a guess when the save time cannot be read", () => {
    expect(expiresAt("yesterday", retentionDays(1))).toBeNull();
    expect(isExpired({ savedAt: "" }, retentionDays(1), new Date("2100-01-01"))).toBe(false);
  });

  it("is expired from the instant of expiry on, not a millisecond before", () => {
    const entry = { savedAt: "2026-01-01T00:00:00.000Z" };
    const setting = retentionDays(30);
    expect(isExpired(entry, setting, new Date("2026-01-30T23:59:59.999Z"))).toBe(false);
    expect(isExpired(entry, setting, new Date("2026-01-31T00:00:00.000Z"))).toBe(true);
  });

  it("tells the days left, 0 on the last day and after", () => {
    const entry = { savedAt: "2026-01-01T00:00:00Z" };
    expect(daysLeft(entry, retentionDays(30), new Date("2026-01-01T00:00:00Z"))).toBe(30);
    expect(daysLeft(entry, retentionDays(30), new Date("2026-01-30T12:00:00Z"))).toBe(1);
    expect(daysLeft(entry, retentionDays(30), new Date("2026-02-15T00:00:00Z"))).toBe(0);
    expect(daysLeft(entry, FOREVER, new Date())).toBeNull();
  });
});

describe("counting what a new setting purges", () => {
  const now = new Date("2026-06-30T00:00:00Z");
  const savedDaysAgo = (days: number) => ({
    savedAt: new Date(now.getTime() - days * 86_400_000).toISOString(),
  });
  const entries = [5, 29, 31, 89, 91, 200, 400].map(savedDaysAgo);

  it("counts the emails already past a shorter period", () => {
    expect(countExpiring(entries, retentionDays(365), now)).toBe(1);
    expect(countExpiring(entries, retentionDays(90), now)).toBe(3);
    expect(countExpiring(entries, retentionDays(30), now)).toBe(5);
  });

  it("counts none for a longer period or until deleted, and none of nothing", () => {
    expect(countExpiring(entries, retentionDays(1000), now)).toBe(0);
    expect(countExpiring(entries, FOREVER, now)).toBe(0);
    expect(countExpiring([], retentionDays(1), now)).toBe(0);
  });

  it("counts an email saved exactly one period ago", () => {
    expect(countExpiring([savedDaysAgo(30)], retentionDays(30), now)).toBe(1);
  });
});

describe("org bounds", () => {
  it("offers the presets within bounds, and until-I-delete only when allowed", () => {
    expect(retentionChoices(bounds)).toEqual([
      retentionDays(30),
      retentionDays(90),
      retentionDays(180),
      retentionDays(365),
      FOREVER,
    ]);
    expect(retentionChoices(strict)).toEqual([retentionDays(90), retentionDays(180)]);
  });

  it("starts a new user on the org default", () => {
    expect(defaultRetention(strict)).toEqual(retentionDays(90));
  });

  it("accepts custom days within bounds", () => {
    expect(retentionProblem(retentionDays(45), bounds)).toBeNull();
    expect(retentionProblem(retentionDays(30), bounds)).toBeNull();
    expect(retentionProblem(retentionDays(365), bounds)).toBeNull();
  });

  it("refuses days outside bounds with an error naming the range", () => {
    for (const days of [59, 181]) {
      const error = errorOf(() => assertRetentionAllowed(retentionDays(days), strict));
      expect(error.code).toBe("retention_out_of_bounds");
      expect(error.params).toEqual({ min: 60, max: 180 });
      expect(translate("en", error.messageKey, error.params)).toContain("between 60 and 180");
      expect(translate("fr", error.messageKey, error.params)).toContain("entre 60 et 180");
    }
  });

  it("refuses fractions, zero, negatives and NaN as days", () => {
    for (const days of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(retentionProblem(retentionDays(days), bounds)?.kind).toBe("not_whole_days");
      expect(errorOf(() => assertRetentionAllowed(retentionDays(days), bounds)).code).toBe(
        "retention_out_of_bounds",
      );
    }
  });

  it("refuses until-I-delete when the org does not allow it", () => {
    const error = errorOf(() => assertRetentionAllowed(FOREVER, strict));
    expect(error.code).toBe("retention_forever_not_allowed");
    expect(translate("en", error.messageKey, error.params)).toContain("180 days");
    expect(() => assertRetentionAllowed(FOREVER, bounds)).not.toThrow();
  });

  it("brings a stored setting the policy no longer allows to the nearest allowed one", () => {
    expect(clampRetention(retentionDays(30), strict)).toEqual(retentionDays(60));
    expect(clampRetention(retentionDays(1000), strict)).toEqual(retentionDays(180));
    expect(clampRetention(FOREVER, strict)).toEqual(retentionDays(180));
    expect(clampRetention(FOREVER, bounds)).toEqual(FOREVER);
    expect(clampRetention(retentionDays(120), strict)).toEqual(retentionDays(120));
    expect(clampRetention(retentionDays(Number.NaN), strict)).toEqual(retentionDays(90));
  });
});

describe("stored form", () => {
  it("reads back what it writes and nothing else", () => {
    expect(parseRetentionSetting({ kind: "days", days: 90 })).toEqual(retentionDays(90));
    expect(parseRetentionSetting({ kind: "forever" })).toEqual(FOREVER);
    for (const bad of [null, "90", { kind: "days" }, { kind: "days", days: -1 }, { kind: "x" }]) {
      expect(parseRetentionSetting(bad)).toBeNull();
    }
  });

  it("codes settings for logs as ISO 8601 durations", () => {
    expect(retentionCode(retentionDays(90))).toBe("P90D");
    expect(retentionCode(FOREVER)).toBe("forever");
  });
});
