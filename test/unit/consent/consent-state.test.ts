import { describe, expect, it } from "vitest";
import {
  assertConsent,
  ConsentRequiredError,
  deriveConsentState,
  normalizePurposes,
  type ConsentGrant,
  type ConsentRecord,
  type ConsentWithdrawal,
  type Purpose,
} from "../../../src/core/consent/consent.js";
import { testCollection } from "../../support/consent-collection.js";

const collection = testCollection();
const V1 = "2024-02-14";
const V2 = "2026-12-01";
let clock = Date.parse("2026-11-01T00:00:00Z");
const tick = () => new Date((clock += 60_000)).toISOString();

function grant(purposes: Purpose[], policyVersion = V1): ConsentGrant {
  const grantedAt = tick();
  return {
    kind: "grant",
    id: `g-${grantedAt}`,
    policyVersion,
    policyUrl: "https://x",
    purposes,
    grantedAt,
    collection,
  };
}
function withdraw(of: ConsentGrant | null): ConsentWithdrawal {
  const withdrawnAt = tick();
  return {
    kind: "withdrawal",
    id: `w-${withdrawnAt}`,
    grantId: of?.id ?? null,
    policyVersion: V1,
    withdrawnAt,
    collection,
  };
}

type Step = "grantMeta" | "grantAll" | "withdraw" | "bump";

/** Replays a sequence of user and policy events and returns records and the policy in force. */
function replay(steps: Step[]): { records: ConsentRecord[]; version: string } {
  const records: ConsentRecord[] = [];
  let version = V1;
  let last: ConsentGrant | null = null;
  for (const step of steps) {
    if (step === "bump") version = version === V1 ? V2 : `${version}-next`;
    else if (step === "withdraw") records.push(withdraw(last));
    else {
      last = grant(
        step === "grantAll" ? ["email_metadata", "email_content"] : ["email_metadata"],
        version,
      );
      records.push(last);
    }
  }
  return { records, version };
}

/** What the state must be, computed independently: walk the steps, last meaningful one wins. */
function expected(steps: Step[]): string {
  let status = "none";
  let purposes = "";
  for (const step of steps) {
    if (step === "bump") {
      if (status === "granted") status = "outdated";
    } else if (step === "withdraw") status = "withdrawn";
    else {
      status = "granted";
      purposes = step === "grantAll" ? "email_metadata,email_content" : "email_metadata";
    }
  }
  return status === "granted" ? `granted:${purposes}` : status;
}

function describeState(steps: Step[]): string {
  const { records, version } = replay(steps);
  const state = deriveConsentState(records, version);
  return state.status === "granted" ? `granted:${state.purposes.join(",")}` : state.status;
}

function* sequences(length: number): Generator<Step[]> {
  const all: Step[] = ["grantMeta", "grantAll", "withdraw", "bump"];
  if (length === 0) {
    yield [];
    return;
  }
  for (const rest of sequences(length - 1)) for (const s of all) yield [...rest, s];
}

describe("consent state derivation", () => {
  it("is none with no records", () => {
    expect(deriveConsentState([], V1)).toEqual({ status: "none" });
  });

  it("matches the expected state for every sequence of grant, withdraw and policy bump up to 4 steps", () => {
    let count = 0;
    for (let n = 0; n <= 4; n++) {
      for (const steps of sequences(n)) {
        expect(describeState(steps), steps.join(" → ")).toBe(expected(steps));
        count++;
      }
    }
    expect(count).toBe(1 + 4 + 16 + 64 + 256);
  });

  it("does not depend on the order records are listed in", () => {
    const { records, version } = replay(["grantAll", "withdraw", "grantMeta"]);
    const state = deriveConsentState([...records].reverse(), version);
    expect(state.status === "granted" && state.purposes).toEqual(["email_metadata"]);
  });

  it("lets a withdrawal win over a grant at the same instant", () => {
    const g = grant(["email_metadata"]);
    const w: ConsentWithdrawal = { ...withdraw(g), withdrawnAt: g.grantedAt };
    expect(deriveConsentState([w, g], V1).status).toBe("withdrawn");
  });
});

describe("the consent guard", () => {
  it.each([
    [[] as Step[], "none"],
    [["grantMeta", "bump"] as Step[], "outdated"],
    [["grantAll", "withdraw"] as Step[], "withdrawn"],
  ])("refuses %j with reason %s", (steps, reason) => {
    const { records, version } = replay(steps);
    const error = (() => {
      try {
        assertConsent(deriveConsentState(records, version), ["email_metadata"]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConsentRequiredError);
    expect((error as ConsentRequiredError).reason).toBe(reason);
    expect((error as ConsentRequiredError).missing).toEqual(["email_metadata"]);
  });

  it("refuses a content save under metadata-only consent, naming the missing purpose", () => {
    const { records, version } = replay(["grantMeta"]);
    expect(() => assertConsent(deriveConsentState(records, version), ["email_content"])).toThrow(
      expect.objectContaining({ reason: "not_granted", missing: ["email_content"] }),
    );
  });

  it("allows what was granted", () => {
    const { records, version } = replay(["grantAll"]);
    expect(() =>
      assertConsent(deriveConsentState(records, version), ["email_metadata", "email_content"]),
    ).not.toThrow();
  });

  it("rejects content without metadata as a purpose set", () => {
    expect(() => normalizePurposes(["email_content"])).toThrow();
    expect(normalizePurposes(["email_content", "email_metadata"])).toEqual([
      "email_metadata",
      "email_content",
    ]);
  });
});
