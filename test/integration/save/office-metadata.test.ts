// The open message's record without a Graph metadata read: what Office.js answered in read mode,
// completed from the MIME the save downloads anyway, says what Graph's message GET would have
// said, for the mail fixtures and for hostile headers (no Date, folded and encoded headers, no
// Message-ID). The save reads the message through Graph's $value only (an older host) or not at
// all (Mailbox 1.14).
import { describe, expect, it } from "vitest";
import { messageIds } from "../../../dev/graph-fake/mail-ids.js";
import type { LoggedRequest, OfficeItemView } from "../../../dev/graph-fake/types.js";
import { readCurrentItem } from "../../../src/adapters/office/mailbox.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { createFakeOffice, officeItemOf, fakeMimeBase64 } from "../../support/fake-office.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { FIXTURES } from "../graph-fake/mail-fixtures.js";
import { useSeededMailbox } from "./save-fixtures.js";

const crlf = (lines: string[]) => lines.join("\r\n");

/** Headers a careless reader gets wrong. */
const HOSTILE: Record<string, string> = {
  "m1-no-date.eml": crlf([
    "Received: from mx.contoso-build.example by mailbox; Mon, 09 Mar 2026 07:45:10 +0000",
    "Message-ID: <no-date-101@contoso-build.example>",
    "From: Site Office <site@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Gate code changed",
    "",
    "The gate code is now on the board.",
    "",
  ]),
  "m2-folded-encoded.eml": crlf([
    "Received: from mx.fabrikam-arch.example by mailbox;",
    "\tTue, 10 Mar 2026 16:02:03 +0000",
    "Message-ID:",
    " <folded-102@fabrikam-arch.example>",
    "Date: Tue, 10 Mar 2026",
    "  17:01:00 +0100 (CET)",
    "From: =?utf-8?B?UHJpeWEgxaBhaA==?= <priya.shah@fabrikam-arch.example>",
    "To: =?iso-8859-1?Q?Andr=E9_Gagnon?= <andre.gagnon@contoso-build.example>,",
    '\t"Martin, Alex" <alex.martin@contoso-build.example>',
    "Cc: jenna.liu@contoso-build.example",
    "Subject: =?utf-8?Q?Avis_de_modification_n=C2=B004_?=",
    " =?utf-8?Q?=E2=80=94_fa=C3=A7ade?=",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix"',
    "",
    "--mix",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "Voir la pièce jointe.",
    "--mix",
    "Content-Type: application/pdf",
    'Content-Disposition: attachment; filename="AM-04.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("%PDF-1.4 avis").toString("base64"),
    "--mix--",
    "",
  ]),
  "m3-no-message-id.eml": crlf([
    "Date: Wed, 11 Mar 2026 06:30:00 -0400",
    "From: noreply@northwind-supply.example",
    "To: alex.martin@contoso-build.example",
    "Subject: Delivery window confirmed",
    "",
    "Your delivery is confirmed.",
    "",
  ]),
  "m4-bad-date.eml": crlf([
    "Received: from mx.northwind-supply.example by mailbox; Thu, 12 Mar 2026 10:00:00 +0000",
    "Message-ID: <bad-date-104@northwind-supply.example>",
    "Date: sometime last week",
    "From: Billing <billing@northwind-supply.example>",
    "To: alex.martin@contoso-build.example",
    "Subject: Invoice reminder",
    "",
    "Reminder.",
    "",
  ]),
};

const MANY = Array.from(
  { length: 25 },
  (_, i) => `Crew ${i + 1} <crew${i + 1}@contoso-build.example>`,
);
const CROWDED = "m5-crowded.eml";
HOSTILE[CROWDED] = crlf([
  "Message-ID: <crowded-105@contoso-build.example>",
  "Date: Fri, 13 Mar 2026 06:00:00 +0000",
  "From: Site Office <site@contoso-build.example>",
  `To: ${MANY.join(",\r\n ")}`,
  "Subject: Site closed Monday",
  "",
  "Site closed Monday for the crane jump.",
  "",
]);

const mailbox = useSeededMailbox(() => ({ ...FIXTURES, ...HOSTILE }));
const t = mailbox.t;

const emlBase64 = fakeMimeBase64(t);

/** Saves the open message as the pane does (from-pane.ts), on an older or a Mailbox 1.14 host. */
async function saveOpen(view: OfficeItemView, host: "older" | "current", projectId: string) {
  const office = createFakeOffice({
    requirements: { Mailbox: host === "current" ? "1.14" : "1.3" },
    item: officeItemOf(view, host === "current" ? emlBase64 : undefined),
  });
  const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, office: office.runtime });
  await p.consent.grant(["email_metadata", "email_content"]);
  const current = readCurrentItem(office.runtime);
  if (current.status !== "message") throw new Error("not a read item");
  t.fake.clearRequests();
  const outcome = await p.services.saving.save(current.message, projectId, true, {});
  const log = t.fake.requests();
  // The record as stored in its shard, read afresh (not through the pane's copy).
  const record = await createEmailIndex(p.storage).record(outcome.savedId);
  if (!record) throw new Error("no record");
  // Graph's own answer for the message: the GET the save no longer makes (an older host's
  // mail source hands every read to Graph).
  const graph = host === "older" ? await p.mail.getMetadata(view.restId) : null;
  return { record, log, graph };
}

/** The fake derives a message's ids from its file name (mail-ids.ts). */
function viewOf(name: string): OfficeItemView {
  const view = mailbox.views().find((v) => v.restId === messageIds(name).restId);
  if (!view) throw new Error(`${name} was not seeded`);
  return view;
}

const mailRequests = (log: LoggedRequest[]) =>
  log
    .map((r) => decodeURIComponent(r.path))
    .filter((path) => /\/me\/(messages|mailFolders)\b|translateExchangeIds/.test(path));

const NAMES = [...Object.keys(FIXTURES), ...Object.keys(HOSTILE)].filter(
  (name) => name !== "e-smime.eml" && name !== CROWDED,
);

describe("the record of the open message, without Graph's message GET", () => {
  it.each(NAMES)("says what Graph says of %s (older host: $value only)", async (name) => {
    const view = viewOf(name);
    const { record, log, graph } = await saveOpen(view, "older", `p-${name}`);
    // The only mail request is the MIME download.
    expect(mailRequests(log)).toEqual([`/v1.0/me/messages/${view.restId}/$value`]);
    const { immutableId, isDraft, ...said } = graph!;
    expect(isDraft).toBe(false);
    expect(immutableId).not.toBe("");
    const { immutableId: stored, ...kept } = record.message;
    expect(kept).toEqual(said);
    // Office.js has no immutable id: the REST id stands in, as for a message a Graph list gave.
    expect(stored).toBe(view.restId);
  });

  it.each(NAMES)(
    "says the same on a Mailbox 1.14 host, with no mail request (%s)",
    async (name) => {
      const view = viewOf(name);
      const older = await saveOpen(view, "older", `older-${name}`);
      const current = await saveOpen(view, "current", `current-${name}`);
      expect(mailRequests(current.log)).toEqual([]);
      expect(current.record.message).toEqual(older.record.message);
    },
  );
});

describe("where Office.js may not tell all", () => {
  it("reads the metadata through Graph when Outlook may have cut the recipient list", async () => {
    const view = viewOf(CROWDED);
    expect(view.to).toHaveLength(MANY.length);
    const { record, log, graph } = await saveOpen(view, "older", "crowded");
    // Outlook on the web shows 20 of them in read mode: the record takes Graph's whole list.
    expect(mailRequests(log).sort()).toEqual(
      [`/v1.0/me/messages/${view.restId}`, `/v1.0/me/messages/${view.restId}/$value`].sort(),
    );
    expect(record.message.to).toHaveLength(MANY.length);
    expect(record.message.to).toEqual(graph!.to);
  });

  it("takes the whole list from the MIME on a Mailbox 1.14 host, which has no Mail.Read", async () => {
    const view = viewOf(CROWDED);
    const older = await saveOpen(view, "older", "crowded-older");
    const current = await saveOpen(view, "current", "crowded-current");
    expect(mailRequests(current.log)).toEqual([]);
    expect(current.record.message.to).toHaveLength(MANY.length);
    // The older host asked Graph (its immutable id); the rest is the same.
    const { immutableId: _a, ...fromMime } = current.record.message;
    const { immutableId: _b, ...fromGraph } = older.record.message;
    expect(fromMime).toEqual(fromGraph);
  });
});
