// Shared set-up of the save tests: a seed folder holding the sample mailbox plus messages made
// here (S/MIME, IRM, a 10 MB one), and checks of what a save leaves in storage.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { useTestFake } from "../../support/use-test-fake.js";

const SAMPLE_DIR = join(import.meta.dirname, "..", "..", "..", "dev", "sample-mailbox");

export const SMIME_SUBJECT = "Encrypted: Tower B bid figures";
export const IRM_SUBJECT = "Do not forward: Riverside claim strategy";
export const TEN_MB_SUBJECT = "Tower B - drone survey, full resolution";

/** xorshift32 bytes: deterministic, incompressible. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

function base64Lines(data: Buffer): string {
  return (data.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

function message(headers: string[], body: string[]): string {
  return [...headers, "", ...body, ""].join("\r\n");
}

const COMMON = [
  "Date: Tue, 20 Oct 2026 09:15:00 -0600",
  "From: Priya Raman <priya.raman@contoso-build.example>",
  "To: Alex Martin <alex.martin@contoso-build.example>",
  "MIME-Version: 1.0",
];

/** An S/MIME enveloped (encrypted) message: the body is an opaque PKCS#7 blob. */
export function smimeMessage(): string {
  return message(
    [
      "Message-ID: <smime-bid-figures-2026-10-20@contoso-build.example>",
      ...COMMON,
      `Subject: ${SMIME_SUBJECT}`,
      'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
      'Content-Disposition: attachment; filename="smime.p7m"',
      "Content-Transfer-Encoding: base64",
    ],
    [base64Lines(pseudoRandomBytes(3000, 7))],
  );
}

/** An IRM-protected message as Exchange stores it: a wrapper with a message.rpmsg attachment. */
export function irmMessage(): string {
  const boundary = "_rpmsg_boundary_";
  return message(
    [
      "Message-ID: <irm-claim-strategy-2026-10-20@contoso-build.example>",
      ...COMMON,
      `Subject: ${IRM_SUBJECT}`,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
    ],
    [
      `--${boundary}`,
      'Content-Type: text/plain; charset="utf-8"',
      "",
      "This message is protected with Microsoft Purview Information Protection.",
      `--${boundary}`,
      'Content-Type: application/x-microsoft-rpmsg-message; name="message.rpmsg"',
      'Content-Disposition: attachment; filename="message.rpmsg"',
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(pseudoRandomBytes(2000, 11)),
      `--${boundary}--`,
    ],
  );
}

/** A message of about 10 MB (a 7.5 MB attachment, base64), for the upload-session path. */
export function tenMegabyteMessage(): string {
  const boundary = "_drone_survey_";
  return message(
    [
      "Message-ID: <drone-survey-2026-10-20@contoso-build.example>",
      ...COMMON,
      `Subject: ${TEN_MB_SUBJECT}`,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
    ],
    [
      `--${boundary}`,
      'Content-Type: text/plain; charset="utf-8"',
      "",
      "The full-resolution survey of the Tower B roof is attached.",
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="survey.tif"',
      'Content-Disposition: attachment; filename="survey.tif"',
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(pseudoRandomBytes(7_500_000, 0x2026)),
      `--${boundary}--`,
    ],
  );
}

/**
 * A Graph fake for one test file whose mailbox is the sample one plus `extra` (seeded before the
 * fake starts, deleted after the file's tests), with its messages as Office shows them.
 */
export function useSeededMailbox(extra: () => Record<string, string>) {
  let seedDir = "";
  let views: OfficeItemView[] = [];
  const t = useTestFake(() => {
    seedDir = seedFolder(extra());
    return { seedDir };
  });
  beforeAll(() => {
    views = t.fake.mailbox();
  });
  afterAll(() => {
    rmSync(seedDir, { recursive: true, force: true });
  });
  return { t, views: () => views, seedDir: () => seedDir };
}

/** A temp seed folder: the sample mailbox plus the given extra messages. */
export function seedFolder(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "sept-save-seed-"));
  for (const name of readdirSync(SAMPLE_DIR).filter((n) => n.endsWith(".eml"))) {
    copyFileSync(join(SAMPLE_DIR, name), join(dir, name));
  }
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text, "latin1");
  return dir;
}

export function bySubject(views: OfficeItemView[], part: string): OfficeItemView {
  const view = views.find((v) => v.subject.includes(part));
  if (!view) throw new Error(`no seeded message about '${part}'`);
  return view;
}

type Pane = ReturnType<typeof createPaneStack>;

export interface StoredState {
  records: string[];
  contents: string[];
  pending: string[];
  indexIds: string[];
  /** `emails/{id}.json`: the layout of earlier versions, which saves no longer write. */
  perEmailRecords: string[];
  /** savedId → number of `email_saved` events. */
  events: Map<string, number>;
}

/** What storage holds, read afresh (not through any pane's caches). */
export async function storedState(pane: Pane): Promise<StoredState> {
  const files = await pane.storage.list("emails");
  const names = (ext: string) =>
    files
      .filter((f) => f.name.endsWith(ext))
      .map((f) => f.name.slice(0, -ext.length))
      .sort();
  // Records live in the record shards; the listing's entries are derived from them, read afresh.
  const fresh = createEmailIndex(pane.storage);
  const records = (await fresh.records()).map((r) => r.savedId).sort();
  const indexIds = (await fresh.entries()).map((e) => e.savedId).sort();
  const events = new Map<string, number>();
  for (const event of await pane.activity.list()) {
    if (event.kind !== "email_saved") continue;
    const id = event.refs.savedId ?? "";
    events.set(id, (events.get(id) ?? 0) + 1);
  }
  const pending = (await pane.storage.list("pending")).map((f) => f.name);
  return {
    records,
    perEmailRecords: names(".json"),
    contents: names(".eml"),
    pending,
    indexIds,
    events,
  };
}

/**
 * The save invariants: every .eml has a record, every record is in the index and the index lists
 * nothing else, exactly one `email_saved` event per record and none for anything else, and no
 * reservation left over.
 */
export function expectConsistent(state: StoredState): void {
  expect(state.contents.filter((id) => !state.records.includes(id))).toEqual([]);
  expect(state.perEmailRecords).toEqual([]);
  expect(state.indexIds).toEqual(state.records);
  expect([...state.events.keys()].sort()).toEqual(state.records);
  expect([...state.events.values()].every((n) => n === 1)).toBe(true);
  expect(state.pending).toEqual([]);
}
