import { describe, expect, it } from "vitest";
import {
  capability,
  REQUIREMENTS,
  requirementMet,
} from "../../../src/adapters/office/capabilities.js";
import { displayLanguage, themeMode } from "../../../src/adapters/office/appearance.js";
import { officeAsync } from "../../../src/adapters/office/office-async.js";
import { SeptError } from "../../../src/core/errors.js";
import { createFakeOffice } from "../../support/fake-office.js";

describe("officeAsync", () => {
  it("resolves with the value of a succeeded AsyncResult", async () => {
    const { runtime } = createFakeOffice();
    await expect(
      officeAsync<number>(runtime, (cb) => cb({ status: "succeeded", value: 42 })),
    ).resolves.toBe(42);
  });

  it("rejects a failed AsyncResult with a typed, translatable error", async () => {
    const fake = createFakeOffice({ failRoamingSave: true });
    const error = await officeAsync<void>(fake.runtime, (cb) =>
      fake.runtime.context.roamingSettings.saveAsync(cb),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe("office_call_failed");
    expect((error as SeptError).messageKey).toBe("errors.office_call_failed");
  });

  it("rejects when the Office API throws instead of calling back", async () => {
    const { runtime } = createFakeOffice();
    await expect(
      officeAsync(runtime, () => {
        throw new Error("not in this mode");
      }),
    ).rejects.toMatchObject({ code: "office_call_failed" });
  });
});

describe("capabilities", () => {
  it("is available when the host supports the requirement set", () => {
    const { runtime } = createFakeOffice({ requirements: { Mailbox: "1.14" } });
    const result = capability(runtime, REQUIREMENTS.emlFile, () => "api");
    expect(result).toEqual({ status: "available", api: "api" });
  });

  it("says which requirement is missing when it is not", () => {
    const { runtime } = createFakeOffice({ requirements: { Mailbox: "1.5" } });
    expect(capability(runtime, REQUIREMENTS.emlFile, () => "api")).toEqual({
      status: "unavailable",
      reason: "requirement_missing",
      requirement: { set: "Mailbox", version: "1.14" },
    });
    expect(requirementMet(runtime, REQUIREMENTS.nestedAppAuth)).toBe(false);
  });
});

describe("appearance", () => {
  it("follows Office's theme colours", () => {
    expect(themeMode(createFakeOffice({ bodyBackgroundColor: "#1f1f1f" }).runtime)).toBe("dark");
    expect(themeMode(createFakeOffice({ bodyBackgroundColor: "#ffffff" }).runtime)).toBe("light");
  });

  it("follows Office's display language", () => {
    expect(displayLanguage(createFakeOffice({ displayLanguage: "fr-CA" }).runtime)).toBe("fr");
    expect(displayLanguage(createFakeOffice({ displayLanguage: "de-DE" }).runtime)).toBe("en");
  });
});
