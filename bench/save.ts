// What one save costs against an in-process Graph fake: Graph requests, bytes moved relative to
// the message size, and time relative to a bare GET $value + PUT of the same bytes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoggedRequest, OfficeItemView } from "../dev/graph-fake/types.js";
import { readCurrentItem } from "../src/adapters/office/mailbox.js";
import type { MessageSummary } from "../src/core/message.js";
import { createFakeOffice, officeItemOf } from "../test/support/fake-office.js";
import { startTestFake, trustCertificateGlobally } from "../test/support/graph-fake.js";
import { createPaneStack } from "../test/support/pane-stack.js";
import { median, type BenchRow } from "./report.js";

const MEASURED_SUBJECT = "Bench: Tower B level 6 pour, photos";
/** Under Graph's 4 MB simple-upload limit, like most mail. */
const MEASURED_ATTACHMENT_BYTES = 2_200_000;

/** A deterministic ~3 MB message (a base64 attachment of pseudo-random bytes). */
function benchMessage(): string {
  const bytes = Buffer.alloc(MEASURED_ATTACHMENT_BYTES);
  let x = 0x5eb7;
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes.writeUInt32LE(x, i);
  }
  const boundary = "_bench_";
  return [
    "Message-ID: <bench-level-6-pour@contoso-build.example>",
    "Date: Wed, 21 Oct 2026 08:00:00 -0600",
    "From: Priya Raman <priya.raman@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    `Subject: ${MEASURED_SUBJECT}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "Photos of the level 6 pour attached.",
    `--${boundary}`,
    'Content-Type: image/jpeg; name="pour.jpg"',
    'Content-Disposition: attachment; filename="pour.jpg"',
    "Content-Transfer-Encoding: base64",
    "",
    (bytes.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n"),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

const outer = (log: LoggedRequest[]) => log.filter((r) => !r.batch);

/** The open message as the pane reads it from Office.js (read mode), through the real adapter. */
function officeMessage(view: OfficeItemView): MessageSummary {
  const office = createFakeOffice({ item: officeItemOf(view) });
  const current = readCurrentItem(office.runtime);
  if (current.status !== "message") throw new Error("the bench message is not a read item");
  return current.message;
}
const bytesOf = (log: LoggedRequest[]) =>
  log.reduce((sum, r) => sum + r.requestBytes + r.responseBytes, 0);

export async function benchSave(runs = 15): Promise<BenchRow[]> {
  const seedDir = mkdtempSync(join(tmpdir(), "sept-bench-save-"));
  writeFileSync(join(seedDir, "bench.eml"), benchMessage(), "latin1");
  writeFileSync(
    join(seedDir, "small.eml"),
    [
      "Message-ID: <bench-small@contoso-build.example>",
      "Date: Wed, 21 Oct 2026 08:05:00 -0600",
      "From: Priya Raman <priya.raman@contoso-build.example>",
      "To: Alex Martin <alex.martin@contoso-build.example>",
      "Subject: Bench: small message",
      "",
      "A short note.",
      "",
    ].join("\r\n"),
  );
  const t = await startTestFake({ seedDir, seedLarge: false });
  trustCertificateGlobally(t.ca);
  try {
    const views = t.fake.mailbox();
    const measured = views.find((v) => v.subject === MEASURED_SUBJECT);
    const small = views.find((v) => v.subject === "Bench: small message");
    if (!measured || !small) throw new Error("bench messages not seeded");

    const pane = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });
    await pane.consent.grant(["email_metadata", "email_content"]);
    let project = 0;
    // Each save to a new project is a new save (the saved id derives from message + project).
    // The request is the pane's (from-pane.ts) on a host without getAsFileAsync: Office.js's
    // identity and item, the MIME read through Graph.
    const save = (view: OfficeItemView, includeContent = true) =>
      pane.save({
        restId: view.restId,
        projectId: `bench-${project++}`,
        includeContent,
        internetMessageId: view.internetMessageId,
        from: view.from,
        subject: view.subject,
        officeMessage: officeMessage(view),
        officeItem: { itemClass: view.itemClass },
      });
    // The first save of a pane also reads the index once (here still missing: rebuilt).
    t.fake.clearRequests();
    await save(small);
    const coldCount = outer(t.fake.requests()).length;

    t.fake.clearRequests();
    await save(measured);
    const warm = outer(t.fake.requests());
    t.fake.clearRequests();
    await save(small);
    const smallLog = outer(t.fake.requests());
    t.fake.clearRequests();
    await save(measured, false);
    const metadataOnly = outer(t.fake.requests()).length;

    // The same save on a Mailbox 1.14 host: the MIME comes from item.getAsFileAsync.
    const eml = async (itemId: string) => {
      const response = await t.fetch(`/_fake/mime?itemId=${encodeURIComponent(itemId)}`);
      return ((await response.json()) as { base64: string }).base64;
    };
    const office = createFakeOffice({ item: officeItemOf(measured, eml) });
    const officePane = createPaneStack({
      graphBaseUrl: t.fake.graphBaseUrl,
      office: office.runtime,
    });
    await officePane.consent.refresh();
    await officePane.save({
      restId: small.restId,
      projectId: `bench-${project++}`,
      includeContent: false,
      internetMessageId: small.internetMessageId,
      from: small.from,
      subject: small.subject,
      officeMessage: officeMessage(small),
    });
    t.fake.clearRequests();
    await officePane.save({
      restId: measured.restId,
      projectId: `bench-${project++}`,
      includeContent: true,
      internetMessageId: measured.internetMessageId,
      from: measured.from,
      subject: measured.subject,
      officeMessage: officeMessage(measured),
      officeItem: { itemClass: measured.itemClass },
    });
    const officeHost = outer(t.fake.requests());

    const auth = { Authorization: `Bearer ${t.token}` };
    /** The floor: the same bytes read and written once, with nothing else. */
    const bare = async (i: number) => {
      const got = await fetch(
        `${t.fake.graphBaseUrl}/me/messages/${encodeURIComponent(measured.restId)}/$value`,
        { headers: auth },
      );
      const bytes = new Uint8Array(await got.arrayBuffer());
      const put = await fetch(
        `${t.fake.graphBaseUrl}/me/drive/special/approot:/bench/bare-${i}.eml:/content`,
        {
          method: "PUT",
          headers: { ...auth, "Content-Type": "message/rfc822" },
          body: bytes,
        },
      );
      await put.arrayBuffer();
      if (!got.ok || !put.ok) throw new Error(`bare GET/PUT failed: ${got.status} ${put.status}`);
    };
    /**
     * The floor the save's rules leave: the bare read and write, then the two small writes that
     * must follow the content one after the other (the record only once its content is stored,
     * the event only once its record is), as bare PUTs of the sizes the save wrote.
     */
    const sizeOf = (pattern: RegExp) =>
      warm.find((r) => r.method === "PUT" && pattern.test(decodeURIComponent(r.path)))
        ?.requestBytes ?? 0;
    const recordBytes = sizeOf(/approot:\/records\//);
    const eventBytes = sizeOf(/approot:\/activity\/head\.json/);
    const putSmall = async (name: string, bytes: number) => {
      const put = await fetch(
        `${t.fake.graphBaseUrl}/me/drive/special/approot:/bench/${name}:/content`,
        {
          method: "PUT",
          headers: { ...auth, "Content-Type": "application/json" },
          body: JSON.stringify({ pad: "x".repeat(Math.max(bytes - 10, 0)) }),
        },
      );
      await put.arrayBuffer();
      if (!put.ok) throw new Error(`floor PUT failed: ${put.status}`);
    };
    const floor = async (i: number) => {
      await bare(runs + i);
      await putSmall(`record-${i}.json`, recordBytes);
      await putSmall(`event-${i}.json`, eventBytes);
    };
    // Save, bare round trip and floor alternate, so that load from elsewhere on the machine
    // weighs on all alike; the ratios are of the medians.
    const saveTimes: number[] = [];
    const bareTimes: number[] = [];
    const floorTimes: number[] = [];
    const timed = async (task: () => Promise<unknown>, into: number[]) => {
      const started = performance.now();
      await task();
      into.push(performance.now() - started);
    };
    for (let i = 0; i < runs; i++) {
      await timed(() => save(measured), saveTimes);
      await timed(() => bare(i), bareTimes);
      await timed(() => floor(i), floorTimes);
    }

    const describe = (log: LoggedRequest[]) =>
      log
        .map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/^.*approot:\//, "")}`)
        .map((r) => r.replace(/[0-9a-f]{32}/, "{id}").replace(/messages\/[^/]+/, "messages/{id}"))
        .join(", ");
    const saveMedian = median(saveTimes);
    const bareMedian = median(bareTimes);
    const floorMedian = median(floorTimes);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    return [
      {
        name: "Graph requests per save (≤ 4 MB)",
        value: warm.length,
        unit: "requests",
        goal: 4,
        detail:
          `host without getAsFileAsync: ${describe(warm)}; metadata only ${metadataOnly}; ` +
          `first save of a pane ${coldCount} (also reads the index once); Mailbox 1.14 host ` +
          `(getAsFileAsync): ${officeHost.length} (${describe(officeHost)}); 1 of each is the ` +
          `consent ledger read that admits the message`,
      },
      {
        name: "bytes moved / message size",
        value: Math.round((bytesOf(warm) / measured.size) * 100) / 100,
        unit: "x",
        goal: 2,
        detail:
          `${mb(bytesOf(warm))} for a ${mb(measured.size)} message; a ${small.size}-byte ` +
          `message moves ${bytesOf(smallLog)} bytes (${(bytesOf(smallLog) / small.size).toFixed(1)}x)`,
      },
      {
        name: "save time vs bare GET + PUT",
        value: Math.round((saveMedian / bareMedian) * 100) / 100,
        unit: "x",
        goal: 1.3,
        detail:
          `median of ${runs}: save ${saveMedian.toFixed(1)} ms, bare $value GET + PUT ` +
          `${bareMedian.toFixed(1)} ms, ${mb(measured.size)} message`,
      },
      {
        name: "save time vs its floor",
        value: Math.round((saveMedian / floorMedian) * 100) / 100,
        unit: "x",
        detail:
          `floor: the bare GET + PUT, then PUTs of the record (${recordBytes} B) and the event ` +
          `(${eventBytes} B) in turn, as the save must: ${floorMedian.toFixed(1)} ms ` +
          `(${(floorMedian / bareMedian).toFixed(2)}x the bare pair)`,
      },
    ];
  } finally {
    await t.stop();
    rmSync(seedDir, { recursive: true, force: true });
  }
}

// `tsx bench/save.ts` runs this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchSave().then(
    (rows) => {
      for (const row of rows) console.log(`${row.name}: ${row.value} ${row.unit}\n  ${row.detail}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
