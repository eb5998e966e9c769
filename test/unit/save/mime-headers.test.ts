// The dates and attachment declarations a save takes from the MIME it downloads anyway, under
// hostile headers: missing, folded, commented, obsolete, nonsense.
import { describe, expect, it } from "vitest";
import { scanMime } from "../../../src/services/save/mime.js";
import {
  decodeEncodedWords,
  mimeFacts,
  parseAddressList,
  rfc5322DateToIso,
  topHeader,
} from "../../../src/services/save/mime-headers.js";

const eml = (...lines: string[]) => new TextEncoder().encode(lines.join("\r\n"));

describe("the Date header as Graph writes dates", () => {
  it.each([
    ["Wed, 21 Oct 2026 08:00:00 -0600", "2026-10-21T14:00:00Z"],
    ["21 Oct 2026 08:00:00 +0000", "2026-10-21T08:00:00Z"],
    ["Tue, 3 Mar 2026 23:30:00 -0130", "2026-03-04T01:00:00Z"],
    ["Mon, 2 Mar 2026 09:15 +0100", "2026-03-02T08:15:00Z"],
    ["Fri, 06 Mar 2026 12:00:00 GMT", "2026-03-06T12:00:00Z"],
    ["Fri, 06 Mar 2026 12:00:00 PDT", "2026-03-06T19:00:00Z"],
    ["Fri, 06 Mar 26 12:00:00 +0000", "2026-03-06T12:00:00Z"],
    ["Fri, 06 Mar 99 12:00:00 +0000", "1999-03-06T12:00:00Z"],
    ["Fri, 06 Mar 126 12:00:00 +0000", "2026-03-06T12:00:00Z"],
    ["Fri , 06 Mar 2026 12 : 00 : 00 +0000 (Coordinated (Universal) Time)", "2026-03-06T12:00:00Z"],
    ["(sent at) Fri, 06 Mar 2026 12:00:00 +0000", "2026-03-06T12:00:00Z"],
    ["fri, 06 MAR 2026 12:00:00 Z", "2026-03-06T12:00:00Z"],
  ])("reads %s", (value, iso) => {
    expect(rfc5322DateToIso(value)).toBe(iso);
  });

  it.each([
    "",
    "yesterday",
    "2026-03-06T12:00:00Z",
    "Fri, 31 Feb 2026 12:00:00 +0000",
    "Fri, 06 Foo 2026 12:00:00 +0000",
    "Fri, 06 Mar 2026 25:00:00 +0000",
    "Fri, 06 Mar 2026 12:00:00 +0popcorn",
    "Fri, 06 Mar 2026 12:00:00 +0075",
    "Fri, 06 Mar 2026 12:00:00 +0000 trailing words",
  ])("gives null, not a guess, for %j", (value) => {
    expect(rfc5322DateToIso(value)).toBeNull();
  });

  it("reads a folded Date header, and only the top-level one", () => {
    const mime = eml(
      "Subject: folded",
      "Date: Wed, 21 Oct 2026",
      "\t08:00:00 -0600",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Date: Thu, 01 Jan 2015 00:00:00 +0000",
      "",
      "body",
      "--b--",
    );
    expect(mimeFacts(mime).date).toBe("2026-10-21T14:00:00Z");
  });

  it("gives null for a message without a Date header, even when a part has one", () => {
    const mime = eml("Subject: none", "", "Date: Thu, 01 Jan 2015 00:00:00 +0000");
    expect(topHeader(mime, "date")).toBeNull();
    expect(mimeFacts(mime).date).toBeNull();
  });
});

describe("attachments the MIME declares", () => {
  it("finds a part declared as an attachment anywhere in the message", () => {
    const mime = eml(
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "see attached",
      "--b",
      "Content-Type: application/x-msdownload",
      'Content-Disposition: ATTACHMENT; filename="setup.exe"',
      "",
      "MZ",
      "--b--",
    );
    expect(scanMime(mime)).toEqual({ protection: "none", declaresAttachment: true });
  });

  it("does not count an inline part, nor the word in a body", () => {
    const mime = eml(
      'Content-Type: multipart/related; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "The content-disposition: attachment header is explained below.",
      "--b",
      "Content-Type: image/png",
      'Content-Disposition: inline; filename="deck.png"',
      "",
      "png",
      "--b--",
    );
    expect(scanMime(mime).declaresAttachment).toBe(false);
  });
});

describe("recipients from the To and Cc headers", () => {
  it("decodes encoded names, keeps quoted commas, flattens groups, names the nameless by address", () => {
    const mime = eml(
      "To: =?iso-8859-1?Q?Andr=E9_Gagnon?= <andre.gagnon@contoso-build.example>,",
      '\t"Martin, Alex" <alex.martin@contoso-build.example>',
      "Cc: Crew: a@contoso-build.example, =?utf-8?B?UHJpeWEgxaBhaA==?= <p@x.example>;,",
      ' c@x.example (Cee "Name"), "B \\"Q\\"" <b@x.example>, undisclosed-recipients:;',
      "",
      "body",
    );
    const facts = mimeFacts(mime);
    expect(facts.to).toEqual([
      { name: "André Gagnon", address: "andre.gagnon@contoso-build.example" },
      { name: "Martin, Alex", address: "alex.martin@contoso-build.example" },
    ]);
    expect(facts.cc).toEqual([
      { name: "a@contoso-build.example", address: "a@contoso-build.example" },
      { name: "Priya Šah", address: "p@x.example" },
      { name: 'Cee "Name"', address: "c@x.example" },
      { name: 'B "Q"', address: "b@x.example" },
    ]);
  });

  it("gives nothing for a missing or addressless header, never a throw", () => {
    expect(parseAddressList(null)).toEqual([]);
    expect(parseAddressList("")).toEqual([]);
    expect(parseAddressList('"unterminated <x')).toEqual([]);
    expect(parseAddressList("<<<>>>,,,;;;((")).toEqual([]);
  });

  it("joins adjacent encoded words and leaves a broken one as it came", () => {
    expect(decodeEncodedWords("=?utf-8?Q?Avis_n=C2=B004?= =?utf-8?B?4oCUIGZhw6dhZGU=?=")).toBe(
      "Avis n°04— façade",
    );
    expect(decodeEncodedWords("=?no-such-charset?Q?x?=")).toBe("=?no-such-charset?Q?x?=");
    expect(decodeEncodedWords("=?utf-8?B?***?=")).toBe("=?utf-8?B?***?=");
  });
});
