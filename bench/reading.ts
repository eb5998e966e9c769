// What least-privilege reading costs in Graph requests: a single save on a Mailbox 1.14 host
// (the open message read through Office.js: no Graph mail request at all), and a save of 10
// messages of one conversation (the open one through Office.js, the others listed once and read
// through Graph $value).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoggedRequest, OfficeItemView } from "../dev/graph-fake/types.js";
import { createFakeOffice, officeItemOf } from "../test/support/fake-office.js";
import { startTestFake, trustCertificateGlobally } from "../test/support/graph-fake.js";
import { createPaneStack } from "../test/support/pane-stack.js";
import { EVENTS_PER_WRITE } from "../src/services/save/saved-events.js";
import type { BenchRow } from "./report.js";

const ROOT_ID = "<bench-thread-root@contoso-build.example>";
const THREAD_SUBJECT = "Bench: Tower B curtain wall mock-up";
const THREAD_SIZE = 10;

function threadMessage(n: number): string {
  return [
    `Message-ID: ${n === 0 ? ROOT_ID : `<bench-thread-${n}@contoso-build.example>`}`,
    `Date: Thu, 22 Oct 2026 ${String(8 + n).padStart(2, "0")}:00:00 -0600`,
    n % 2 === 0
      ? "From: Priya Raman <priya.raman@contoso-build.example>"
      : "From: Alex Martin <alex.martin@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    `Subject: ${n === 0 ? "" : "RE: "}${THREAD_SUBJECT}`,
    ...(n === 0 ? [] : [`In-Reply-To: ${ROOT_ID}`, `References: ${ROOT_ID}`]),
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="us-ascii"',
    "",
    `Message ${n} of the mock-up thread. ${"Detail line. ".repeat(200)}`,
    "",
  ].join("\r\n");
}

const outer = (log: LoggedRequest[]) => log.filter((r) => !r.batch);
const isMail = (r: LoggedRequest) =>
  /\/me\/(messages|mailFolders)\b/.test(decodeURIComponent(r.path));

export async function benchReading(): Promise<BenchRow[]> {
  const seedDir = mkdtempSync(join(tmpdir(), "sept-bench-reading-"));
  for (let n = 0; n < THREAD_SIZE; n++) {
    writeFileSync(join(seedDir, `thread-${n}.eml`), threadMessage(n), "latin1");
  }
  const t = await startTestFake({ seedDir, seedLarge: false });
  trustCertificateGlobally(t.ca);
  try {
    const views = t.fake.mailbox();
    const root = views.find((v) => v.internetMessageId === ROOT_ID);
    if (!root) throw new Error("bench thread not seeded");
    const emlBase64 = async (itemId: string) => {
      const response = await t.fetch(`/_fake/mime?itemId=${encodeURIComponent(itemId)}`);
      return ((await response.json()) as { base64: string }).base64;
    };
    const office = createFakeOffice({
      requirements: { Mailbox: "1.14" },
      item: officeItemOf(root, emlBase64),
    });
    const pane = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, office: office.runtime });
    await pane.consent.grant(["email_metadata", "email_content"]);
    const restId = (v: OfficeItemView) =>
      office.runtime.context.mailbox.convertToRestId(v.itemId, "v2.0");
    // A first save warms the pane (index read once), as a pane that has saved before.
    await pane.save({ restId: restId(root), projectId: "warm-up", includeContent: true });

    t.fake.clearRequests();
    await pane.save({
      restId: restId(root),
      projectId: "single",
      includeContent: true,
      internetMessageId: root.internetMessageId,
      from: root.from,
      subject: root.subject,
    });
    const single = outer(t.fake.requests());

    t.fake.clearRequests();
    const thread = await pane.search.conversation(root.conversationId);
    const others = thread.filter((m) => m.restId !== restId(root));
    await pane.bulkSave(
      [
        {
          restId: restId(root),
          internetMessageId: root.internetMessageId,
          from: root.from,
          subject: root.subject,
        },
        ...others.map((m) => ({
          restId: m.restId,
          internetMessageId: m.internetMessageId,
          from: m.from,
          subject: m.subject,
          metadata: m,
        })),
      ],
      "thread",
      true,
    );
    const many = outer(t.fake.requests());
    const saved = others.length + 1;
    const shapes = (log: LoggedRequest[]) =>
      [
        ...new Set(
          log.map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/^.*approot:\//, "")}`),
        ),
      ]
        .map((r) => r.replace(/[0-9a-f]{32}/, "{id}").replace(/messages\/[^/]+/, "messages/{id}"))
        .filter((r, i, all) => all.indexOf(r) === i)
        .join(", ");
    /** How many of each request, e.g. "10× GET consent:/children". */
    const tally = (log: LoggedRequest[]) => {
      const counts = new Map<string, number>();
      for (const r of log) {
        const shape = `${r.method} ${decodeURIComponent(r.path).replace(/^.*approot:\//, "")}`
          .replace(/[0-9a-f]{32}/, "{id}")
          .replace(/messages\/[^/]+/, "messages/{id}")
          .replace(/records\/[^/]+\.json/, "records/{shard}.json");
        counts.set(shape, (counts.get(shape) ?? 0) + 1);
      }
      return [...counts].map(([shape, n]) => `${n}× ${shape}`).join(", ");
    };
    return [
      {
        name: "Graph mail requests, one save on a Mailbox 1.14 host",
        value: single.filter(isMail).length,
        unit: "requests",
        goal: 0,
        detail: "the open message read through Office.js (item properties + getAsFileAsync)",
      },
      {
        name: "Graph requests, one save on a Mailbox 1.14 host",
        value: single.length,
        unit: "requests",
        goal: 4,
        detail: shapes(single),
      },
      {
        name: `Graph requests per message, saving ${saved} messages of a conversation`,
        value: Math.round((many.length / saved) * 100) / 100,
        unit: "requests",
        goal: 4,
        detail:
          `${many.length} requests in all (${many.filter(isMail).length} to mail: one list, ` +
          `then $value for each message but the open one): ${tally(many)}; the events of the ` +
          `saves go ${EVENTS_PER_WRITE} to a head write (EVENTS_PER_WRITE)`,
      },
    ];
  } finally {
    await t.stop();
    rmSync(seedDir, { recursive: true, force: true });
  }
}

// `tsx bench/reading.ts` runs this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchReading().then(
    (rows) => {
      for (const row of rows) console.log(`${row.name}: ${row.value} ${row.unit}\n  ${row.detail}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
