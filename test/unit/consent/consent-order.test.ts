import { describe, expect, it } from "vitest";
import {
  deriveConsentState,
  orderRecords,
  privacyOfficeWithdrawal,
  type ConsentGrant,
  type ConsentWithdrawal,
} from "../../../src/core/consent/consent.js";
import { SeptError } from "../../../src/core/errors.js";
import { testCollection } from "../../support/consent-collection.js";

const collection = testCollection();
const V1 = "2024-02-14";

const grant = (
  id: string,
  grantedAt: string,
  storedAt?: string,
  follows?: string,
): ConsentGrant => ({
  kind: "grant",
  id,
  policyVersion: V1,
  policyUrl: "https://x",
  purposes: ["email_metadata"],
  grantedAt,
  collection,
  ...(storedAt ? { storedAt } : {}),
  ...(follows ? { follows } : {}),
});
const withdrawal = (
  id: string,
  withdrawnAt: string,
  grantId: string | null,
  storedAt?: string,
  follows?: string,
): ConsentWithdrawal => ({
  kind: "withdrawal",
  id,
  grantId,
  policyVersion: V1,
  withdrawnAt,
  collection,
  ...(storedAt ? { storedAt } : {}),
  ...(follows ? { follows } : {}),
});

describe("consent order", () => {
  it("follows the server's creation time, not the device's", () => {
    // A device an hour fast granted; another withdrew a minute later by the server's clock.
    const g = grant("g", "2026-12-01T11:00:00Z", "2026-12-01T10:00:00Z");
    const w = withdrawal("w", "2026-12-01T09:01:00Z", null, "2026-12-01T10:01:00Z");
    expect(deriveConsentState([w, g], V1).status).toBe("withdrawn");
    // And the other way round: withdrawn, then granted again from a slow device.
    const g2 = grant("g2", "2026-12-01T09:02:00Z", "2026-12-01T10:02:00Z");
    expect(deriveConsentState([g2, w, g], V1).status).toBe("granted");
  });

  it("orders records of the same server second by their links", () => {
    const s = "2026-12-01T10:00:00Z";
    const g0 = grant("z-first", "2026-12-01T10:00:00Z", s);
    const w = withdrawal("m-second", "2026-12-01T09:00:00Z", "z-first", s, "z-first");
    const g1 = grant("a-third", "2026-12-01T08:00:00Z", s, "m-second");
    expect(orderRecords([g1, w, g0]).map((r) => r.id)).toEqual(["z-first", "m-second", "a-third"]);
    expect(deriveConsentState([g1, w, g0], V1).status).toBe("granted");
  });

  it("lets a withdrawal end the grant it names even when that grant's file is newer", () => {
    // A grant file restored or copied gets a new creation time; its withdrawal still ends it.
    const g = grant("g", "2026-12-01T10:00:00Z", "2026-12-01T12:00:00Z");
    const w = withdrawal("w", "2026-12-01T10:05:00Z", "g", "2026-12-01T10:05:00Z");
    const state = deriveConsentState([g, w], V1);
    expect(state.status).toBe("withdrawn");
  });

  it("builds a privacy-office withdrawal only with who recorded it and when it was asked", () => {
    const record = privacyOfficeWithdrawal({
      id: "po-1",
      at: "2026-12-01T10:00:00Z",
      requestedAt: "2026-11-30T15:00:00Z",
      recordedBy: "privacy@septsoftware.com",
      policyVersion: V1,
    });
    expect(record).toMatchObject({
      kind: "withdrawal",
      grantId: null,
      collection: { method: "privacy_office", recordedBy: "privacy@septsoftware.com" },
    });
    expect(() =>
      privacyOfficeWithdrawal({
        ...record,
        at: record.withdrawnAt,
        requestedAt: "x",
        recordedBy: "a",
      }),
    ).toThrow(SeptError);
    expect(() =>
      privacyOfficeWithdrawal({
        id: "po-2",
        at: record.withdrawnAt,
        requestedAt: "2026-11-30T15:00:00Z",
        recordedBy: " ",
        policyVersion: V1,
      }),
    ).toThrow(SeptError);
  });
});
