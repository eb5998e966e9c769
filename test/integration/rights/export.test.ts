// "A copy of my data" against the Graph fake: the ZIP unzipped with fflate, every JSON parsed,
// every .eml parsed with mailparser and compared to what was saved.
import { unzipSync } from "fflate";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import type { ConsentRecord } from "../../../src/core/consent/consent.js";
import type { ConsentReceipt } from "../../../src/core/consent/receipt.js";
import { retentionDays } from "../../../src/core/retention.js";
import type { StoredEmailRecord } from "../../../src/core/stored-email.js";
import {
  EXPORT_FORMAT,
  exportMyData,
  exportReadme,
  type ExportManifest,
} from "../../../src/services/rights/export.js";
import { createProjectCatalogue } from "../../../src/services/storage/project-catalogue.js";
import { useRightsHarness } from "./rights-harness.js";

const h = useRightsHarness();
const PRINCIPAL = { principalId: "alex.martin@contoso-build.example", language: "en" };

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const parse = <T>(bytes: Uint8Array | undefined): T => JSON.parse(text(bytes)) as T;

describe("exportMyData", () => {
  it("exports every saved email, record, receipt and event in documented, parseable files", async () => {
    const p = h.pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    const mailbox = h.fake().fake.mailbox();
    const withContent = mailbox.filter((m) => m.protection === "none").slice(0, 4);
    const detailsOnly = mailbox.filter((m) => m.protection === "none")[5];
    if (withContent.length < 4 || !detailsOnly) throw new Error("the sample mailbox is too small");
    const saved = new Map<string, (typeof mailbox)[number]>();
    for (const message of withContent) {
      const result = await p.save({
        restId: message.restId,
        projectId: "tower-b",
        includeContent: true,
      });
      saved.set(result.savedId, message);
    }
    const metadataOnly = await p.save({
      restId: detailsOnly.restId,
      projectId: "riverside",
      includeContent: false,
    });
    await p.settings.setRetention(retentionDays(180));
    await createProjectCatalogue(p.storage, { activity: p.activity }).create("Tower B");
    const progress: Array<[number, number]> = [];

    const zip = await exportMyData(
      { storage: p.storage, activity: p.activity, ledger: p.ledger, principal: PRINCIPAL },
      { onProgress: (done, total) => progress.push([done, total]) },
    );

    const files = unzipSync(zip);
    const names = Object.keys(files).sort();
    const readme = text(files["README.txt"]);
    expect(readme).toBe(exportReadme("en"));
    expect(readme).toContain(`"${EXPORT_FORMAT}"`);

    // Every JSON file parses.
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      expect(() => parse(files[name]), name).not.toThrow();
    }

    // Each .eml is the original message: compare to what the mailbox holds and the record says.
    const emls = names.filter((n) => n.startsWith("emails/"));
    expect(emls).toHaveLength(4);
    for (const [savedId, message] of saved) {
      const eml = files[`emails/${savedId}.eml`];
      expect(eml, savedId).toBeDefined();
      const mail = await simpleParser(Buffer.from(eml!));
      const record = parse<StoredEmailRecord>(files[`records/${savedId}.json`]);
      expect(mail.subject).toBe(message.subject);
      expect(mail.subject).toBe(record.message.subject);
      expect(mail.messageId).toBe(message.internetMessageId);
      expect(mail.messageId).toBe(record.message.internetMessageId);
      expect(mail.from?.value[0]?.address?.toLowerCase()).toBe(message.from.address.toLowerCase());
      expect(record.message.from?.address.toLowerCase()).toBe(message.from.address.toLowerCase());
      expect(mail.attachments).toHaveLength(message.attachments.length);
      expect(record.content).toMatchObject({ stored: true, sizeBytes: eml!.byteLength });
      const digest = new Uint8Array(
        await crypto.subtle.digest("SHA-256", eml! as Uint8Array<ArrayBuffer>),
      );
      const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
      expect(record.content.stored && record.content.sha256).toBe(hex);
    }
    expect(saved.size).toBe(4);
    expect(parse<StoredEmailRecord>(files[`records/${metadataOnly.savedId}.json`])).toMatchObject({
      projectId: "riverside",
      content: { stored: false },
    });
    expect(names.filter((n) => n.startsWith("records/"))).toHaveLength(5);

    // Consent: the ledger, and one Kantara receipt per record.
    const ledger = parse<{ schema: 1; records: ConsentRecord[] }>(files["consent/records.json"]);
    expect(ledger.records).toHaveLength(1);
    const grant = ledger.records[0]!;
    const receipt = parse<ConsentReceipt>(files[`consent/receipts/${grant.id}.json`]);
    expect(receipt).toMatchObject({
      version: "KI-CR-v1.1.0",
      consentReceiptID: grant.id,
      piiPrincipalId: PRINCIPAL.principalId,
      "sept:recordKind": "grant",
    });

    // The activity log with its hashes, verified.
    const log = parse<{ verified: boolean; events: ActivityEvent[] }>(files["activity/log.json"]);
    expect(log.verified).toBe(true);
    expect(log.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["consent_granted", "email_saved", "settings_changed"]),
    );
    expect(log.events.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ""))).toBe(true);
    expect(log.events.map((e) => e.at)).toEqual([...log.events.map((e) => e.at)].sort());

    expect(parse<{ projects: Array<{ name: string }> }>(files["projects.json"]).projects).toEqual([
      expect.objectContaining({ name: "Tower B" }),
    ]);
    expect(parse(files["settings.json"])).toMatchObject({
      retention: { kind: "days", days: 180 },
    });
    const manifest = parse<ExportManifest>(files["manifest.json"]);
    expect(manifest.files.sort()).toEqual(names);
    expect(manifest.counts).toEqual({
      emails: 5,
      emlFiles: 4,
      consentRecords: 1,
      activityEvents: log.events.length,
    });

    // The README documents every kind of file in the archive, and every field of the records.
    const documented = (name: string) =>
      name
        .replace(/^(emails|records)\/[0-9a-f]+\./, "$1/{savedId}.")
        .replace(/receipts\/.+\.json$/, "receipts/{id}.json");
    for (const name of names) expect(readme, name).toContain(documented(name));
    const fields = (value: unknown, prefix = ""): string[] =>
      Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
        v && typeof v === "object" && !Array.isArray(v) && prefix === ""
          ? [`${key}`, ...fields(v, `${key}.`)]
          : [`${prefix}${key}`],
      );
    const record = parse<StoredEmailRecord>(files[`records/${[...saved.keys()][0]}.json`]);
    for (const field of fields(record)) expect(readme, field).toContain(field);

    // Progress moved forward to the end; the export was logged.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)?.[0]).toBe(progress.at(-1)?.[1]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    }
    const [exported] = await h.pane().activity.list();
    expect(exported).toMatchObject({
      kind: "data_exported",
      sizeBytes: zip.byteLength,
      details: { emails: 5, emlFiles: 4 },
    });
  });

  it("exports an empty account as a README in the user's language, a manifest and empty logs", async () => {
    const p = h.pane();
    const zip = await exportMyData({
      storage: p.storage,
      activity: p.activity,
      ledger: p.ledger,
      principal: { ...PRINCIPAL, language: "fr-CA" },
    });
    const files = unzipSync(zip);
    expect(text(files["README.txt"])).toMatch(/^SEPT pour Outlook : une copie de vos données/);
    expect(parse<{ events: unknown[] }>(files["activity/log.json"]).events).toEqual([]);
    expect(Object.keys(files).sort()).toEqual([
      "README.txt",
      "activity/log.json",
      "consent/records.json",
      "manifest.json",
    ]);
  });

  it("stops when cancelled, and logs no export", async () => {
    const p = h.pane();
    const controller = new AbortController();
    controller.abort();
    const error = await exportMyData(
      { storage: p.storage, activity: p.activity, ledger: p.ledger, principal: PRINCIPAL },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("cancelled");
    expect(await h.pane().activity.list()).toEqual([]);
  });
});
