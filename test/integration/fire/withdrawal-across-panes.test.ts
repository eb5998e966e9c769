// Two Outlook windows of one user: B saves (14 messages at once, or one 30 MB message) while A
// withdraws. Once A's withdrawal record has landed in the ledger, the fake's request log may show
// email data of at most the message B had already admitted past its consent gate (the rest of
// that one message's requests), or of a large upload at most the one fragment already on the
// wire; and B shows why it stopped: consent was withdrawn elsewhere.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoggedRequest, OfficeItemView } from "../../../dev/graph-fake/types.js";
import { ConsentRequiredError } from "../../../src/core/consent/consent.js";
import { MESSAGES_PAST_GATE } from "../../../src/services/consent/consent-service.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack } from "../../support/pane-stack.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { seedFolder, storedState } from "../save/save-fixtures.js";

const THIRTY_MB_SUBJECT = "Tower B - laser scan, full point cloud";

/** A message of about 30 MB: a 22 MB attachment, base64. */
function thirtyMegabyteMessage(): string {
  const bytes = Buffer.alloc(22_500_000);
  let x = 0x5eed;
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes.writeUInt32LE(x, i);
  }
  const base64 = (bytes.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
  return [
    "Message-ID: <laser-scan-2026-11-30@contoso-build.example>",
    "Date: Mon, 30 Nov 2026 08:00:00 -0700",
    "From: Priya Raman <priya.raman@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "MIME-Version: 1.0",
    `Subject: ${THIRTY_MB_SUBJECT}`,
    'Content-Type: multipart/mixed; boundary="_scan_"',
    "",
    "--_scan_",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "The laser scan of the Tower B core is attached.",
    "--_scan_",
    'Content-Type: application/octet-stream; name="scan.e57"',
    'Content-Disposition: attachment; filename="scan.e57"',
    "Content-Transfer-Encoding: base64",
    "",
    base64,
    "--_scan_--",
    "",
  ].join("\r\n");
}

let views: OfficeItemView[];
let seedDir: string;
const t = useTestFake(() => {
  seedDir = seedFolder({ "15-laser-scan.eml": thirtyMegabyteMessage() });
  return { seedDir, resetEachTest: false };
}, 120_000);

beforeAll(() => {
  views = t.fake.mailbox();
});
afterAll(() => {
  rmSync(seedDir, { recursive: true, force: true });
});

const pane = () =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...noWaitRetries(3),
  });

const isWithdrawalWrite = (r: LoggedRequest) =>
  r.method === "PUT" &&
  r.status >= 200 &&
  r.status < 300 &&
  /approot:\/consent\/[^/]*-withdrawal-[^/]*\.json:\/content$/.test(decodeURIComponent(r.path));

/** Email-data requests the fake answered after the withdrawal record landed. */
function emailDataAfterWithdrawal(): LoggedRequest[] {
  const log = t.fake.requests();
  const landed = log.find(isWithdrawalWrite);
  if (!landed) throw new Error("the withdrawal record never landed");
  return log.filter((r) => r.seq > landed.seq && carriesEmailData(r));
}

const describeRequests = (requests: LoggedRequest[]) =>
  requests.map((r) => `${r.method} ${decodeURIComponent(r.path)}`);

/** Which message a request carrying email data belongs to: its REST id, read or stored. */
function messageOf(r: LoggedRequest, restIdOf: ReadonlyMap<string, string>): string {
  const path = decodeURIComponent(r.path);
  const read = /\/me\/messages\/([^/?]+)/.exec(path)?.[1];
  const stored = /approot:\/emails\/([0-9a-f]+)\./.exec(path)?.[1];
  const message = read ?? (stored ? restIdOf.get(stored) : undefined);
  if (!message) throw new Error(`no message for ${r.method} ${path}`);
  return message;
}

/** Email-data requests per message, in the whole log. */
function requestsByMessage(
  requests: LoggedRequest[],
  restIdOf: ReadonlyMap<string, string>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests.filter(carriesEmailData)) {
    const message = messageOf(r, restIdOf);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return counts;
}

describe("a withdrawal in one window stops work in progress in another", () => {
  it("stops B's save of 14 messages: after the record, only the message already admitted", async () => {
    await t.fake.reset();
    const a = pane();
    const b = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    await b.consent.refresh();
    const fourteen = views.filter((v) => !v.subject.includes(THIRTY_MB_SUBJECT)).slice(0, 14);
    expect(fourteen).toHaveLength(14);
    t.fake.clearRequests();

    let withdrawal: Promise<unknown> | null = null;
    let settled = 0;
    const results = await b.bulkSave(
      fourteen.map((v) => ({ restId: v.restId })),
      "tower-b",
      true,
      {
        onResult: () => {
          // A withdraws while B's batch is under way (B's third message just finished).
          if (++settled === 3) withdrawal = a.consent.withdraw();
        },
      },
    );
    expect(withdrawal).not.toBeNull();
    await withdrawal;

    const after = emailDataAfterWithdrawal();
    // Stored files are named by saved id: map them back to the message they hold.
    const restIdOf = new Map(
      results.flatMap((r) => (r.status === "failed" ? [] : [[r.savedId, r.restId] as const])),
    );
    const perMessage = requestsByMessage(t.fake.requests(), restIdOf);
    const inFlight = new Set(after.map((r) => messageOf(r, restIdOf)));
    // The most a message of this batch sends (metadata, MIME, content, record), from the log.
    const messageCost = Math.max(...perMessage.values());
    console.info(
      `bulk save: ${after.length} email-data request(s) of ${inFlight.size} message(s) after ` +
        `the withdrawal record landed (a whole message sends ${messageCost})` +
        (after.length ? `\n  ${describeRequests(after).join("\n  ")}` : ""),
    );
    // Only the message(s) already past B's consent gate when it landed: one, and no more than
    // what that message sends in all.
    expect(inFlight.size).toBeLessThanOrEqual(MESSAGES_PAST_GATE);
    for (const message of inFlight) {
      const sentAfter = after.filter((r) => messageOf(r, restIdOf) === message).length;
      expect(sentAfter).toBeLessThanOrEqual(perMessage.get(message) ?? 0);
    }
    expect(after.length).toBeLessThanOrEqual(MESSAGES_PAST_GATE * messageCost);
    // The batch stopped: some were saved before, the rest failed with the withdrawal.
    const saved = results.filter((r) => r.status === "saved");
    const stopped = results.filter((r) => r.status === "failed");
    expect(saved.length).toBeGreaterThanOrEqual(3);
    expect(stopped.length).toBeGreaterThan(0);
    for (const r of stopped) {
      expect(r.status === "failed" && r.error).toBeInstanceOf(ConsentRequiredError);
    }
    expect(saved.length).toBeLessThan(14);
    // B shows why: the ledger says withdrawn, by a record B did not make.
    const state = b.consent.current();
    expect(state.status).toBe("withdrawn");
    if (state.status === "withdrawn")
      expect(b.consent.isOwnRecord(state.withdrawal.id)).toBe(false);
    // Nothing half-saved: storage holds exactly the saves that completed.
    const stored = await storedState(pane());
    expect(stored.records.length).toBe(saved.length);
    expect(stored.contents.filter((id) => !stored.records.includes(id))).toEqual([]);
  }, 60_000);

  it("stops B's upload of a 30 MB message within one chunk of the withdrawal record", async () => {
    await t.fake.reset();
    const a = pane();
    const b = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    await b.consent.refresh();
    const big = views.find((v) => v.subject.includes(THIRTY_MB_SUBJECT));
    expect(big?.size).toBeGreaterThan(30_000_000);
    t.fake.clearRequests();

    const save = b.save({ restId: big!.restId, projectId: "tower-b", includeContent: true });
    const outcome = save.then(
      () => null,
      (e: unknown) => e,
    );
    // A withdraws once B's upload session is two fragments in.
    await expect
      .poll(
        () =>
          t.fake.requests().filter((r) => r.method === "PUT" && r.path.startsWith("/_upload/"))
            .length,
        { timeout: 30_000, interval: 5 },
      )
      .toBeGreaterThanOrEqual(2);
    await a.consent.withdraw();
    const error = await outcome;
    expect(error).toBeInstanceOf(ConsentRequiredError);
    expect((error as ConsentRequiredError).reason).toBe("withdrawn");

    const after = emailDataAfterWithdrawal();
    const fragments = t.fake
      .requests()
      .filter((r) => r.method === "PUT" && r.path.startsWith("/_upload/"));
    console.info(
      `30 MB upload: ${after.length} email-data request(s) after the withdrawal record landed ` +
        `(${fragments.length} fragment(s) sent in all)` +
        (after.length ? `\n  ${describeRequests(after).join("\n  ")}` : ""),
    );
    expect(after.length).toBeLessThanOrEqual(1);
    // The upload did not run to its end, and left nothing saved.
    const total = Math.ceil(big!.size / (10 * 327_680));
    expect(fragments.length).toBeLessThan(total);
    const stored = await storedState(pane());
    expect(stored.records).toEqual([]);
    expect(b.consent.current().status).toBe("withdrawn");
  }, 120_000);
});
