// No secrets where our code writes: after a full run through the pane stack (consent, content
// and metadata saves, a project, a retention change, a delete, an export, a consent withdrawal of
// content), every file in the app folder other than the user's own saved emails (.eml) and their
// records is read back and scanned — the activity log, consent records, index, settings,
// projects, anything else. None may hold a bearer token, a sentence of a message body or
// attachment bytes. The console output of the run is scanned too.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { retentionDays } from "../../../src/core/retention.js";
import { exportMyData } from "../../../src/services/rights/export.js";
import { createProjectCatalogue } from "../../../src/services/storage/project-catalogue.js";
import { deleteStored } from "../../../src/services/rights/remove.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createRightsPane } from "../../support/rights-stack.js";

const SAMPLE_DIR = join(import.meta.dirname, "..", "..", "..", "dev", "sample-mailbox");

const t = useTestFake({ resetEachTest: false });
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

interface DriveItem {
  id: string;
  name: string;
  folder?: unknown;
  file?: unknown;
}

/** Every file under the app folder, by path, read through Graph as the user (no pane cache). */
async function allFiles(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (url: string, prefix: string): Promise<void> => {
    let next: string | undefined = url;
    while (next) {
      const res = await t.fetch(next);
      expect(res.status, next).toBe(200);
      const page = (await res.json()) as { value: DriveItem[]; "@odata.nextLink"?: string };
      for (const item of page.value) {
        const path = `${prefix}${item.name}`;
        if (item.folder) {
          await walk(`/me/drive/items/${item.id}/children`, `${path}/`);
        } else {
          const content = await t.fetch(`/me/drive/items/${item.id}/content`);
          expect(content.status, path).toBe(200);
          out.set(path, Buffer.from(await content.arrayBuffer()));
        }
      }
      next = page["@odata.nextLink"];
    }
  };
  await walk("/me/drive/special/approot/children", "");
  return out;
}

/** Distinctive sentences of a message's text body (not its subject), and its attachments' bytes. */
async function secretsOf(file: string) {
  const parsed = await simpleParser(readFileSync(join(SAMPLE_DIR, file)));
  const subject = parsed.subject ?? "";
  const sentences = (parsed.text ?? "")
    .split(/(?<=[.!?])\s+|\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 30 && !subject.includes(s));
  const attachments = parsed.attachments
    .filter((a) => a.content.length >= 96)
    .map((a) => {
      // From the middle: the start of a file is often a generic header (%PDF-1.4).
      const at = Math.floor(a.content.length / 6) * 3;
      const slice = a.content.subarray(at, at + 48);
      return {
        name: a.filename ?? "",
        base64: slice.toString("base64"),
        raw: slice.subarray(4).toString("latin1"),
      };
    });
  return { sentences: sentences.slice(0, 4), attachments };
}

describe("no token, body or attachment content outside the saved emails", () => {
  it("holds after consent, saves, a delete, an export and a withdrawal", async () => {
    const logged: string[] = [];
    const methods = ["log", "info", "warn", "error", "debug"] as const;
    const spies = methods.map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(
          args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "),
        );
      }),
    );
    let files: Map<string, Buffer>;
    let saved: string[];
    let exported: Uint8Array;
    try {
      const p = createRightsPane(t.fake.graphBaseUrl);
      await p.consent.grant(["email_metadata", "email_content"]);
      const projects = createProjectCatalogue(p.storage, { activity: p.activity });
      const project = await projects.create("Tower B");
      await p.settings.setRetention(retentionDays(400));
      const candidates = views.filter((v) => v.protection === "none").slice(0, 10);
      saved = [];
      for (const [i, view] of candidates.entries()) {
        const result = await p.save({
          restId: view.restId,
          projectId: project.id,
          includeContent: i % 3 !== 2,
        });
        saved.push(result.savedId);
      }
      await deleteStored(p.deps, saved.slice(0, 2));
      saved = saved.slice(2);
      exported = await exportMyData({
        storage: p.storage,
        activity: p.activity,
        ledger: p.ledger,
        principal: { principalId: "alex.martin@contoso-build.example", language: "fr" },
      });
      await p.consent.withdraw();
      files = await allFiles();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(exported.byteLength).toBeGreaterThan(0);

    const own = new Set(saved.flatMap((id) => [`emails/${id}.eml`, `emails/${id}.json`]));
    const scanned = [...files].filter(([path]) => !own.has(path));
    const scannedPaths = scanned.map(([path]) => path);
    // The run wrote everything we mean to scan.
    expect(scannedPaths.some((p) => p.startsWith("activity/"))).toBe(true);
    expect(scannedPaths.some((p) => /consent/i.test(p))).toBe(true);
    // The record shards (their names change with each generation: a delete drops emails).
    expect(scannedPaths.some((p) => /^records\/\d{4}-\d{2}/.test(p))).toBe(true);
    expect(scannedPaths.some((p) => /settings/i.test(p))).toBe(true);
    expect(scannedPaths.some((p) => /projects/i.test(p))).toBe(true);
    // Deleted emails really are gone, the kept ones really are there.
    expect([...files.keys()].filter((p) => p.endsWith(".eml")).length).toBeGreaterThan(0);
    expect(scannedPaths.filter((p) => p.startsWith("emails/"))).toEqual([]);

    const secrets: Array<{ what: string; needle: string }> = [];
    const sampleFiles = readdirSync(SAMPLE_DIR).filter((n) => n.endsWith(".eml"));
    for (const file of sampleFiles) {
      const { sentences, attachments } = await secretsOf(file);
      for (const s of sentences) secrets.push({ what: `body of ${file}`, needle: s });
      for (const a of attachments) {
        secrets.push({ what: `attachment ${a.name} of ${file} (base64)`, needle: a.base64 });
        if (/^[\x20-\x7e]+$/.test(a.raw)) {
          secrets.push({ what: `attachment ${a.name} of ${file}`, needle: a.raw });
        }
      }
    }
    expect(secrets.filter((s) => s.what.startsWith("body")).length).toBeGreaterThan(10);
    expect(secrets.filter((s) => s.what.startsWith("attachment")).length).toBeGreaterThan(0);

    const TOKEN = /\bdev\.[A-Za-z0-9_-]{16,}|\bBearer\s+[A-Za-z0-9._-]{8,}|eyJ[A-Za-z0-9_-]{20,}/;
    const findings: string[] = [];
    const scan = (where: string, text: string) => {
      const token = TOKEN.exec(text);
      if (token) findings.push(`${where}: token-like ${token[0].slice(0, 24)}…`);
      // JSON may escape non-ASCII and slashes; compare on the decoded strings too.
      let decoded = text;
      try {
        decoded = JSON.stringify(JSON.parse(text), null, 0)
          .replace(/\\n/g, "\n")
          .replace(/\\r/g, "\r");
        decoded = `${decoded}\n${collectStrings(JSON.parse(text)).join("\n")}`;
      } catch {
        // not JSON: scanned as is
      }
      for (const s of secrets) {
        if (text.includes(s.needle) || decoded.includes(s.needle)) {
          findings.push(`${where}: ${s.what}: "${s.needle.slice(0, 40)}"`);
        }
      }
    };
    for (const [path, bytes] of scanned) scan(path, bytes.toString("utf8"));
    scan("console", logged.join("\n"));
    expect(findings).toEqual([]);
    expect(scanned.length).toBeGreaterThan(5);
  }, 60_000);
});

function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}
