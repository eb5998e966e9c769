// The open message's metadata from Office.js alone, and where Office's answer is not enough.
import { describe, expect, it } from "vitest";
import type { MessageSummary } from "../../../src/core/message.js";
import {
  OFFICE_RECIPIENTS_SHOWN_AT_LEAST,
  officeMetadata,
  withMimeFacts,
} from "../../../src/core/message-metadata.js";

const person = (i: number) => ({ name: `Person ${i}`, address: `p${i}@contoso-build.example` });

const message = (overrides: Partial<MessageSummary> = {}): MessageSummary => ({
  itemId: "AAMkAGI2TG93AAA/x+y=",
  internetMessageId: "<rfi-014@fabrikam-arch.example>",
  conversationId: "AAQkAGI2conv",
  subject: "RFI-014: Level 4 slab penetrations",
  from: person(0),
  to: [person(1)],
  cc: [],
  date: "2026-10-14T15:32:00.417Z",
  attachments: [{ id: "a1", name: "deck.png", contentType: "image/png", size: 10, isInline: true }],
  ...overrides,
});

describe("metadata from Office.js", () => {
  it("takes Office's fields, with Graph's date format and Graph's meaning of hasAttachments", () => {
    expect(officeMetadata(message(), "rest-id")).toEqual({
      immutableId: "rest-id",
      internetMessageId: "<rfi-014@fabrikam-arch.example>",
      conversationId: "AAQkAGI2conv",
      subject: "RFI-014: Level 4 slab penetrations",
      from: person(0),
      to: [person(1)],
      cc: [],
      receivedDateTime: "2026-10-14T15:32:00Z",
      sentDateTime: null,
      // Only an inline attachment: Graph says false.
      hasAttachments: false,
      isDraft: false,
    });
  });

  it("does not trust a recipient list that some Outlook client may have cut", () => {
    const many = Array.from({ length: OFFICE_RECIPIENTS_SHOWN_AT_LEAST }, (_, i) => person(i));
    expect(officeMetadata(message({ to: many.slice(1) }), "r")).not.toBeNull();
    expect(officeMetadata(message({ to: many }), "r")).toBeNull();
    expect(officeMetadata(message({ cc: many }), "r")).toBeNull();
  });

  it("does not invent a received time Office did not give", () => {
    expect(officeMetadata(message({ date: "" }), "r")).toBeNull();
  });

  it("takes the sent time from the MIME's Date, else the arrival time, and counts declared attachments", () => {
    const base = officeMetadata(message(), "r")!;
    expect(
      withMimeFacts(base, { date: "2026-10-14T15:30:59Z", declaresAttachment: false }),
    ).toEqual({ ...base, sentDateTime: "2026-10-14T15:30:59Z" });
    expect(withMimeFacts(base, { date: null, declaresAttachment: true })).toEqual({
      ...base,
      sentDateTime: "2026-10-14T15:32:00Z",
      hasAttachments: true,
    });
  });
});
