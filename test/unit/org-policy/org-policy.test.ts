import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultOrgPolicy,
  describeOrgPolicyProblem,
  validateOrgPolicy,
  type OrgPolicy,
} from "../../../src/core/org-policy.js";
import { loadOrgPolicy, type FetchLike } from "../../../src/services/consent/org-policy.js";

const BUILD = {
  privacyPolicyUrl: "https://septsoftware.com/privacy-policy",
  privacyPolicyVersion: "2024-02-14",
};
const DEFAULTS: OrgPolicy = defaultOrgPolicy(BUILD);
const URL_ = "https://addin.contoso.example/org-policy.json";

const paths = (input: unknown) => validateOrgPolicy(input, DEFAULTS).problems.map((p) => p.path);

function served(status: number, body = ""): FetchLike {
  return async () => ({ ok: status >= 200 && status < 300, status, text: async () => body });
}

describe("org policy validation", () => {
  it("reads a complete, valid file", () => {
    const input = {
      retention: { defaultDays: 90, minDays: 7, maxDays: 730, allowForever: true },
      allowContent: false,
      requiredPolicyVersion: "2025-01-01",
      privacyPolicyUrl: "https://contoso.example/privacy",
      storage: { kind: "sharePoint", driveId: "b!AbC-12_x" },
      projects: [
        { id: "tower-b", name: "Tower B" },
        { id: "riverside", name: " Riverside Hospital " },
      ],
    };
    const { policy, problems } = validateOrgPolicy(input, DEFAULTS);
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      ...input,
      projects: [
        { id: "tower-b", name: "Tower B" },
        { id: "riverside", name: "Riverside Hospital" },
      ],
      receipt: DEFAULTS.receipt,
    });
  });

  it("fills every absent field from the defaults, and ignores $ and _ note fields", () => {
    const { policy, problems } = validateOrgPolicy(
      { $schema: "x", _comment: "edited by IT", retention: { maxDays: 5000 } },
      DEFAULTS,
    );
    expect(problems).toEqual([]);
    expect(policy).toEqual({ ...DEFAULTS, retention: { ...DEFAULTS.retention, maxDays: 5000 } });
  });

  it("names every wrong field with its path", () => {
    expect(
      paths({
        allowcontent: false,
        allowContent: "no",
        retention: { defaultDays: 0, minDays: 1.5, maxDays: "ten", allowForever: 1, keep: 3 },
        requiredPolicyVersion: "",
        privacyPolicyUrl: "http://contoso.example/privacy",
        storage: { kind: "sharePoint" },
        projects: [
          { id: "a b", name: "A" },
          { id: "ok", name: "" },
          "x",
          { id: "ok", name: "Again" },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        "allowcontent",
        "allowContent",
        "retention.keep",
        "retention.defaultDays",
        "retention.minDays",
        "retention.maxDays",
        "retention.allowForever",
        "requiredPolicyVersion",
        "privacyPolicyUrl",
        "storage.driveId",
        "projects[0].id",
        "projects[1].name",
        "projects[2]",
      ]),
    );
  });

  it("requires minDays ≤ defaultDays ≤ maxDays", () => {
    const { problems } = validateOrgPolicy({ retention: { minDays: 400 } }, DEFAULTS);
    expect(problems).toHaveLength(1);
    expect(describeOrgPolicyProblem("en", problems[0]!)).toBe(
      "retention: minDays (400) ≤ defaultDays (365) ≤ maxDays (3650) must hold.",
    );
  });

  it("refuses duplicate project ids, unknown storage kinds and a non-object file", () => {
    expect(
      paths({
        projects: [
          { id: "a", name: "A" },
          { id: "a", name: "B" },
        ],
      }),
    ).toEqual(["projects[1]"]);
    expect(paths({ storage: { kind: "dropbox" } })).toEqual(["storage.kind"]);
    expect(paths([])).toEqual([""]);
    expect(paths({ projects: new Array(501).fill({ id: "x", name: "x" }) })).toEqual(["projects"]);
  });

  it("explains problems in English and French", () => {
    const [problem] = validateOrgPolicy({ allowContent: "yes" }, DEFAULTS).problems;
    expect(describeOrgPolicyProblem("en", problem!)).toBe("allowContent must be true or false.");
    expect(describeOrgPolicyProblem("fr", problem!)).toBe(
      "allowContent doit valoir true ou false.",
    );
  });

  it("ships an example file that is valid and changes nothing from the defaults", () => {
    const file = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../../config/org-policy.example.json"), "utf8"),
    ) as unknown;
    const { policy, problems } = validateOrgPolicy(file, DEFAULTS);
    expect(problems).toEqual([]);
    expect(policy).toEqual(DEFAULTS);
  });
});

describe("loading the org policy", () => {
  it("uses the admin's file when it is valid", async () => {
    const loaded = await loadOrgPolicy(served(200, '{"allowContent": false}'), URL_, {
      defaults: DEFAULTS,
    });
    expect(loaded).toMatchObject({ source: "file", fallback: "none", problems: [] });
    expect(loaded.policy.allowContent).toBe(false);
  });

  it("takes the most protective settings that still work when there is no file, and says so", async () => {
    const loaded = await loadOrgPolicy(served(404), URL_, { defaults: DEFAULTS });
    expect(loaded).toMatchObject({ source: "defaults", fallback: "missing" });
    // Nobody said content may leave the mailbox: metadata only, in the app folder.
    expect(loaded.policy.allowContent).toBe(false);
    expect(loaded.policy.storage).toEqual({ kind: "appFolder" });
    expect(loaded.policy.retention.allowForever).toBe(false);
    expect(loaded.policy.requiredPolicyVersion).toBe(DEFAULTS.requiredPolicyVersion);
    expect(loaded.problems).toEqual(["no org-policy.json was found beside the add-in (HTTP 404)."]);
  });

  it("may require a newer privacy policy than the build's, never an older one", async () => {
    const older = await loadOrgPolicy(
      served(200, '{"requiredPolicyVersion": "2020-01-01"}'),
      URL_,
      { defaults: DEFAULTS },
    );
    expect(older.policy.requiredPolicyVersion).toBe(DEFAULTS.requiredPolicyVersion);
    const newer = await loadOrgPolicy(
      served(200, '{"requiredPolicyVersion": "2099-01-01"}'),
      URL_,
      { defaults: DEFAULTS },
    );
    expect(newer.policy.requiredPolicyVersion).toBe("2099-01-01");
  });

  it("names the controller, processor and jurisdiction the admin set on receipts", async () => {
    const file = {
      dataController: {
        name: "Contoso Build Ltd",
        contact: "Privacy Officer",
        email: "privacy@contoso-build.example",
        url: "https://contoso-build.example/privacy",
        address: { locality: "Toronto", region: "Ontario", country: "CA" },
      },
      dataProcessor: {
        name: "SEPT SOFTWARE Inc",
        contact: "Privacy Office",
        email: "privacy@septsoftware.com",
        url: "https://septsoftware.com",
        address: { locality: "Calgary", region: "Alberta", country: "CA" },
      },
      jurisdiction: "CA-ON",
    };
    const loaded = await loadOrgPolicy(served(200, JSON.stringify(file)), URL_, {
      defaults: DEFAULTS,
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.policy.receipt.controller.name).toBe("Contoso Build Ltd");
    expect(loaded.policy.receipt.processor?.name).toBe("SEPT SOFTWARE Inc");
    expect(loaded.policy.receipt.jurisdiction).toBe("CA-ON");
    // Without those fields the receipt names SEPT, as its privacy policy does.
    expect(DEFAULTS.receipt.controller.name).toBe("SEPT SOFTWARE Inc");
    expect(DEFAULTS.receipt.controller.address.locality).toBe("Calgary");
    const bad = await loadOrgPolicy(
      served(200, JSON.stringify({ dataController: { ...file.dataController, email: "nope" } })),
      URL_,
      { defaults: DEFAULTS },
    );
    expect(bad.fallback).toBe("restrictive");
    expect(bad.issues.map((i) => i.path)).toEqual(["dataController.email"]);
  });

  it.each([
    ["an invalid file", served(200, '{"allowContent": "sometimes"}'), "allowContent"],
    ["a file that is not JSON", served(200, "allowContent: true"), "not valid JSON"],
    ["a server error", served(500), "HTTP 500"],
    [
      "no connection",
      (async () => {
        throw new TypeError("Failed to fetch");
      }) as FetchLike,
      "no connection",
    ],
  ] as const)("takes the most restrictive settings on %s", async (_what, fetchImpl, says) => {
    const loaded = await loadOrgPolicy(fetchImpl, URL_, { defaults: DEFAULTS, language: "en" });
    expect(loaded.source).toBe("defaults");
    expect(loaded.fallback).toBe("restrictive");
    expect(loaded.policy.allowContent).toBe(false);
    expect(loaded.policy.storage).toEqual({ kind: "appFolder" });
    expect(loaded.problems.join(" ")).toContain(says);
  });

  it("asks past every cache, so an admin's edit applies the next time the pane opens", async () => {
    const seen: Array<RequestCache | undefined> = [];
    await loadOrgPolicy(
      async (_url, init) => {
        seen.push(init?.cache);
        return { ok: true, status: 200, text: async () => "{}" };
      },
      URL_,
      { defaults: DEFAULTS },
    );
    expect(seen).toEqual(["no-store"]);
  });

  it("translates its problems for a French pane", async () => {
    const loaded = await loadOrgPolicy(served(404), URL_, { defaults: DEFAULTS, language: "fr" });
    expect(loaded.problems[0]).toContain("aucun fichier org-policy.json");
  });
});
