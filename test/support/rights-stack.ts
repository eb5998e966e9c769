// The rights services (index, settings, ledger) on a pane stack, a fast seeding storage, and
// stored emails seeded straight through storage (.eml files, and the records written as whole
// shards): for the rights tests and the bench, which need hundreds of stored emails without going
// through the save pipeline. `seedLegacyStoredEmails` writes the layout of earlier versions (one
// record file per email and one index file), for the migration tests.
import type { DevUser } from "../../src/adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../../src/adapters/graph/app-folder-storage.js";
import { GRAPH_SCOPES } from "../../src/core/ports/auth.js";
import type { StoragePort } from "../../src/core/ports/storage.js";
import type { RetentionBounds } from "../../src/core/retention.js";
import {
  indexEntryFor,
  type EmailIndexFile,
  type StoredEmailRecord,
} from "../../src/core/stored-email.js";
import { createEmailIndex } from "../../src/services/storage/email-index.js";
import { contentPath, EMAIL_INDEX_PATH, recordPath } from "../../src/services/storage/layout.js";
import { createPaneStack } from "./pane-stack.js";
import { sampleUserClient } from "./sample-user.js";

export const TEST_RETENTION_BOUNDS: RetentionBounds = {
  defaultDays: 365,
  minDays: 1,
  maxDays: 3650,
  allowForever: true,
};

/** One task pane with the rights services; storage retries are short so tests stay fast. */
export function createRightsPane(graphBaseUrl: string) {
  const stack = createPaneStack({
    graphBaseUrl,
    storage: { innerRetry: { delaySeconds: 0.05 }, transferRetry: { delaySeconds: 0.05 } },
    retention: TEST_RETENTION_BOUNDS,
  });
  const { index, settings, ledger } = stack.parts;
  const deps = { storage: stack.storage, index, activity: stack.activity };
  return { ...stack, index, settings, ledger, deps };
}

/** Storage for seeding only: 16 requests at a time instead of a pane's 4. */
export function createSeedingStorage(graphBaseUrl: string, user?: DevUser): StoragePort {
  const client = sampleUserClient(
    graphBaseUrl,
    [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail, GRAPH_SCOPES.storage],
    user,
  );
  return createAppFolderStorage(client, { maxConcurrent: 16 });
}

/** A deterministic 32-hex saved id for seeded email `n`. */
export function seededId(n: number): string {
  return n.toString(16).padStart(32, "0");
}

/**
 * A small RFC 5322 message; `attachmentBytes` adds a base64 attachment of about that size, so a
 * bench can export realistic sizes.
 */
export function seededEml(n: number, attachmentBytes = 0): Uint8Array {
  const head = [
    `Message-ID: <seed-${n}@contoso-build.example>`,
    "From: Dana Site <dana@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    `Subject: Seeded email ${n}`,
    "Date: Mon, 02 Feb 2026 09:00:00 +0000",
    "MIME-Version: 1.0",
  ];
  if (attachmentBytes <= 0) {
    return new TextEncoder().encode(
      [
        ...head,
        "Content-Type: text/plain; charset=utf-8",
        "",
        `Body of seeded email ${n}.`,
        "",
      ].join("\r\n"),
    );
  }
  const raw = new Uint8Array(attachmentBytes);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + n * 7) & 0xff;
  const base64 = Buffer.from(raw).toString("base64").replace(/.{76}/g, "$&\r\n");
  return new TextEncoder().encode(
    [
      ...head,
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      `Body of seeded email ${n}.`,
      "--b",
      `Content-Type: application/pdf; name="drawing-${n}.pdf"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; filename="drawing-${n}.pdf"`,
      "",
      base64,
      "--b--",
      "",
    ].join("\r\n"),
  );
}

export interface SeedOptions {
  content?: boolean;
  projectId?: string;
  attachmentBytes?: number;
}

/** A plausible record, as the save pipeline writes it. */
export function seededRecord(
  n: number,
  savedAt: string,
  options: SeedOptions = {},
): StoredEmailRecord {
  const savedId = seededId(n);
  const content = options.content ?? true;
  const eml = seededEml(n, options.attachmentBytes);
  return {
    schema: 1,
    savedId,
    projectId: options.projectId ?? "tower-b",
    savedAt,
    consentGrantId: "grant-1",
    purposes: content ? ["email_metadata", "email_content"] : ["email_metadata"],
    message: {
      immutableId: `imm-${n}`,
      internetMessageId: `<seed-${n}@contoso-build.example>`,
      conversationId: `conv-${n % 7}`,
      subject: `Seeded email ${n}`,
      from: { name: "Dana Site", address: "dana@contoso-build.example" },
      to: [{ name: "Alex Martin", address: "alex.martin@contoso-build.example" }],
      cc: [],
      receivedDateTime: savedAt,
      sentDateTime: savedAt,
      hasAttachments: (options.attachmentBytes ?? 0) > 0,
    },
    content: content
      ? { stored: true, path: contentPath(savedId), sizeBytes: eml.byteLength, sha256: "0" }
      : { stored: false },
  };
}

/** Writes the records (and .eml files) and one index, `concurrency` requests at a time. */
export async function seedStoredEmails(
  storage: StoragePort,
  records: StoredEmailRecord[],
  options: { concurrency?: number; attachmentBytes?: number } = {},
): Promise<void> {
  const writes: Array<() => Promise<unknown>> = [];
  for (const record of records) {
    if (record.content.stored) {
      const n = Number.parseInt(record.savedId, 16);
      writes.push(() =>
        storage.write(contentPath(record.savedId), seededEml(n, options.attachmentBytes)),
      );
    }
  }
  await runWrites(writes, options.concurrency ?? 16);
  // The records as whole shards: the catalogue once, then one write per shard.
  await createEmailIndex(storage).importRecords(records);
}

/**
 * Stored emails in the layout of earlier versions, written as they wrote it: `emails/{id}.json`
 * per record (and its .eml), and `index/emails.json` listing them all.
 */
export async function seedLegacyStoredEmails(
  storage: StoragePort,
  records: StoredEmailRecord[],
  options: { concurrency?: number; attachmentBytes?: number } = {},
): Promise<void> {
  const writes: Array<() => Promise<unknown>> = [];
  for (const record of records) {
    writes.push(() => storage.writeJson(recordPath(record.savedId), record));
    if (record.content.stored) {
      const n = Number.parseInt(record.savedId, 16);
      writes.push(() =>
        storage.write(contentPath(record.savedId), seededEml(n, options.attachmentBytes)),
      );
    }
  }
  await runWrites(writes, options.concurrency ?? 16);
  const index: EmailIndexFile = { schema: 1, entries: records.map(indexEntryFor) };
  await storage.writeJson(EMAIL_INDEX_PATH, index);
}

async function runWrites(writes: Array<() => Promise<unknown>>, concurrency: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < writes.length) {
        const write = writes[next++];
        if (write) await write();
      }
    }),
  );
}
