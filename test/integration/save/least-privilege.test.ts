// Least privilege when reading a message: on a host with Mailbox 1.14 the open message is read
// through Office.js (item properties + getAsFileAsync), so a save makes no Graph mail request and
// never asks for Mail.Read; on an older host it falls back to Graph $value, and only then is
// Mail.Read asked. Also the message's identity (two messages sharing a Message-ID are two saves,
// records of the first id scheme are still recognised) and signed versus encrypted S/MIME.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { messageIds } from "../../../dev/graph-fake/mail-ids.js";
import type { LoggedRequest, OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError } from "../../../src/core/errors.js";
import { translate } from "../../../src/core/i18n/index.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import {
  legacySavedIdFor,
  savedIdFor,
  type StoredEmailRecord,
} from "../../../src/core/stored-email.js";
import { contentPath } from "../../../src/services/storage/layout.js";
import { CORPUS_DIR } from "../../fixtures/hostile/build-corpus.js";
import { createFakeOffice, officeItemOf, fakeMimeBase64 } from "../../support/fake-office.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { bySubject, smimeMessage, SMIME_SUBJECT, useSeededMailbox } from "./save-fixtures.js";

const OPAQUE_SIGNED_SUBJECT = "Signed: Tower B level 7 pour release";

/** An opaque-signed S/MIME message: application/pkcs7-mime with smime-type signed-data. */
function opaqueSignedMessage(): string {
  const blob = Buffer.alloc(1800);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 73 + 11) & 0xff;
  return [
    "Message-ID: <opaque-signed-l7@contoso-build.example>",
    "Date: Wed, 21 Oct 2026 10:00:00 -0600",
    "From: Priya Raman <priya.raman@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    `Subject: ${OPAQUE_SIGNED_SUBJECT}`,
    "MIME-Version: 1.0",
    'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"',
    'Content-Disposition: attachment; filename="smime.p7m"',
    "Content-Transfer-Encoding: base64",
    "",
    ...(blob.toString("base64").match(/.{1,76}/g) ?? []),
    "",
  ].join("\r\n");
}

const corpusFile = (name: string) => readFileSync(join(CORPUS_DIR, name), "latin1");

const mailbox = useSeededMailbox(() => ({
  "81-dup-a.eml": corpusFile("18-duplicate-message-id-a.eml"),
  "82-dup-b.eml": corpusFile("19-duplicate-message-id-b.eml"),
  "83-smime-signed.eml": corpusFile("31-smime-signed.eml"),
  "84-opaque-signed.eml": opaqueSignedMessage(),
  "85-smime-encrypted.eml": smimeMessage(),
}));
const t = mailbox.t;

const emlBase64 = fakeMimeBase64(t);

async function valueBytes(view: OfficeItemView): Promise<Buffer> {
  const response = await t.fetch(`/me/messages/${encodeURIComponent(view.restId)}/$value`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** A pane in an Outlook playing `view` as its open item, current (1.14) or older (1.3). */
async function paneOn(view: OfficeItemView, host: "current" | "older") {
  const office = createFakeOffice({
    requirements: { Mailbox: host === "current" ? "1.14" : "1.3" },
    item: officeItemOf(view, host === "current" ? emlBase64 : undefined),
  });
  const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, office: office.runtime });
  await p.consent.grant(["email_metadata", "email_content"]);
  t.fake.clearRequests();
  const save = (projectId: string, includeContent = true) =>
    p.save({
      restId: office.runtime.context.mailbox.convertToRestId(view.itemId, "v2.0"),
      projectId,
      includeContent,
      internetMessageId: view.internetMessageId,
      from: view.from,
      subject: view.subject,
      officeItem: { itemClass: view.itemClass },
    });
  return { p, office, save };
}

const isMailRequest = (r: LoggedRequest) =>
  /\/me\/(messages|mailFolders)\b|translateExchangeIds/.test(decodeURIComponent(r.path));

const view = (subject: string) => bySubject(mailbox.views(), subject);
const byMessageId = (id: string) => mailbox.views().filter((v) => v.internetMessageId === id);

describe("reading the open message with least privilege", () => {
  it("saves on a Mailbox 1.14 host with no Graph mail request, byte for byte", async () => {
    const message = view("RFI-014");
    const { p, save } = await paneOn(message, "current");
    const result = await save("tower-b");
    expect(result.status).toBe("saved");
    const log = t.fake.requests();
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter(isMailRequest)).toEqual([]);
    expect(p.scopesAsked()).not.toContain(GRAPH_SCOPES.mail);
    const stored = Buffer.from(await p.storage.read(contentPath(result.savedId)));
    expect(stored.equals(await valueBytes(message))).toBe(true);
    expect(
      stored.equals(readFileSync(join(mailbox.seedDir(), "01-tower-b-rfi-014-response.eml"))),
    ).toBe(true);
  });

  it("falls back to Graph $value on an older host, and asks for Mail.Read only then", async () => {
    const message = view("RFI-014");
    const { p, save } = await paneOn(message, "older");
    // Consent was granted and recorded: that took storage, not mail.
    expect(p.scopesAsked()).toContain(GRAPH_SCOPES.storage);
    expect(p.scopesAsked()).not.toContain(GRAPH_SCOPES.mail);
    const result = await save("tower-b");
    expect(result.status).toBe("saved");
    const mailPaths = t.fake
      .requests()
      .filter(isMailRequest)
      .map((r) => r.path);
    expect(mailPaths.some((path) => path.endsWith("/$value"))).toBe(true);
    expect(p.scopesAsked()).toContain(GRAPH_SCOPES.mail);
    const stored = Buffer.from(await p.storage.read(contentPath(result.savedId)));
    expect(stored.equals(await valueBytes(message))).toBe(true);
  });

  it("is one copy whichever way the message was read", async () => {
    const message = view("RFI-014");
    const current = await paneOn(message, "current");
    const first = await current.save("tower-b");
    const older = await paneOn(message, "older");
    const second = await older.save("tower-b");
    expect(second).toMatchObject({ status: "already_saved", savedId: first.savedId });
  });

  it("asks for Mail.Read when the other messages of a conversation are first listed", async () => {
    const message = view("Structural steel delivery schedule");
    const { p } = await paneOn(message, "current");
    expect(p.scopesAsked()).not.toContain(GRAPH_SCOPES.mail);
    const thread = await p.search.conversation(message.conversationId);
    expect(thread.length).toBeGreaterThan(1);
    expect(thread.every((m) => m.conversationId === message.conversationId)).toBe(true);
    expect(p.scopesAsked()).toContain(GRAPH_SCOPES.mail);
  });
});

describe("signed and encrypted messages", () => {
  it.each([
    ["clear-signed (multipart/signed)", "83-smime-signed.eml"],
    ["opaque-signed (pkcs7-mime signed-data)", "84-opaque-signed.eml"],
  ])("saves a %s message byte for byte", async (_, file) => {
    const raw = readFileSync(join(mailbox.seedDir(), file));
    const message = mailbox.views().find((v) => v.restId === messageIds(file).restId);
    if (!message) throw new Error(`${file} was not seeded`);
    expect(message.protection).toBe("smime");
    const { p, save } = await paneOn(message, "current");
    const result = await save("tower-b");
    expect(result.status).toBe("saved");
    expect(Buffer.from(await p.storage.read(contentPath(result.savedId))).equals(raw)).toBe(true);
  });

  it("refuses an encrypted S/MIME message with its own message, storing nothing", async () => {
    const message = view(SMIME_SUBJECT);
    expect(message.itemClass).toBe("IPM.Note.SMIME");
    const { p, save } = await paneOn(message, "current");
    const error = await save("tower-b").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe("encrypted_message");
    for (const language of ["en", "fr"] as const) {
      const text = translate(language, (error as SeptError).messageKey);
      expect(text).not.toBe((error as SeptError).messageKey);
      expect(text).not.toBe(translate(language, "errors.rights_protected"));
    }
    expect(await p.index.entries({ fresh: true })).toEqual([]);
  });
});

describe("a save's identity is the message, not its Message-ID alone", () => {
  const twins = () => {
    const [a, b] = byMessageId("<duplicate-message-id@hostile.example>");
    if (!a || !b) throw new Error("the duplicate Message-ID pair was not seeded");
    return [a, b] as const;
  };

  it("saves both of two different messages sharing a Message-ID, each once", async () => {
    const [a, b] = twins();
    const paneA = await paneOn(a, "current");
    const savedA = await paneA.save("tower-b");
    const paneB = await paneOn(b, "current");
    const savedB = await paneB.save("tower-b");
    expect(savedA.status).toBe("saved");
    expect(savedB.status).toBe("saved");
    expect(savedB.savedId).not.toBe(savedA.savedId);
    // The same message again, to the same project: one copy.
    expect(await paneA.save("tower-b")).toMatchObject({
      status: "already_saved",
      savedId: savedA.savedId,
    });
    expect(await paneB.save("tower-b")).toMatchObject({
      status: "already_saved",
      savedId: savedB.savedId,
    });
    const stored = Buffer.from(await paneB.p.storage.read(contentPath(savedB.savedId)));
    expect(stored.equals(await valueBytes(b))).toBe(true);
  });

  it("still recognises a save recorded under the first id scheme, and only that message", async () => {
    const [a, b] = twins();
    const { p, save } = await paneOn(a, "current");
    // A record as the first scheme wrote it: saved id from Message-ID and project only.
    const legacyId = (await legacySavedIdFor(a, "tower-b"))!;
    const record: StoredEmailRecord = {
      schema: 1,
      savedId: legacyId,
      projectId: "tower-b",
      savedAt: "2026-10-01T00:00:00.000Z",
      consentGrantId: "grant-before",
      purposes: ["email_metadata"],
      message: {
        immutableId: a.immutableId,
        internetMessageId: a.internetMessageId,
        conversationId: a.conversationId,
        subject: a.subject,
        from: a.from,
        to: a.to,
        cc: a.cc,
        receivedDateTime: a.receivedDateTime,
        sentDateTime: null,
        hasAttachments: a.hasAttachments,
      },
      content: { stored: false },
    };
    await p.index.commit(record);
    expect(legacyId).not.toBe(await savedIdFor({ ...a, immutableId: "" }, "tower-b"));

    expect(await save("tower-b")).toMatchObject({ status: "already_saved", savedId: legacyId });
    // The other message with that Message-ID is not taken for it.
    const other = await paneOn(b, "current");
    const savedB = await other.save("tower-b");
    expect(savedB.status).toBe("saved");
    expect(savedB.savedId).not.toBe(legacyId);
  });
});
