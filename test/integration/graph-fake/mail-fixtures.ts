// Small .eml files with known properties, written to a temp seed dir, so the mail contract tests
// don't depend on the sample mailbox another engineer curates.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const crlf = (lines: string[]) => lines.join("\r\n");

export const PDF_BYTES = Buffer.from("%PDF-1.4\n% fake drawing for tests\n%%EOF\n", "latin1");
export const PNG_BYTES = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

export const LONG_TEXT = Array.from(
  { length: 40 },
  (_, i) => `Line ${i + 1} of the pour sequence   notes.`,
).join("\r\n");

export const FIXTURES: Record<string, string> = {
  "a-thread-root.eml": crlf([
    "Received: from mx.contoso-build.example by mailbox; Tue, 03 Mar 2026 09:00:30 +0000",
    "Message-ID: <root-001@contoso-build.example>",
    "Date: Tue, 03 Mar 2026 08:59:00 +0000",
    "From: Dave Kowalski <dave.kowalski@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>, Jenna Liu <jenna.liu@contoso-build.example>",
    "Cc: Site Office <site@contoso-build.example>",
    "Subject: Pour sequence for Level 6",
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    LONG_TEXT,
    "",
  ]),
  "b-thread-reply.eml": crlf([
    "Message-ID: <reply-002@contoso-build.example>",
    "In-Reply-To: <root-001@contoso-build.example>",
    "References: <root-001@contoso-build.example>",
    "Date: Wed, 04 Mar 2026 10:00:00 +0000",
    "From: Alex Martin <alex.martin@contoso-build.example>",
    "To: Dave Kowalski <dave.kowalski@contoso-build.example>",
    "Subject: RE: Pour sequence for Level 6",
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "Agreed, go ahead.",
    "",
  ]),
  "c-inline-only.eml": crlf([
    "Message-ID: <inline-003@contoso-build.example>",
    "Date: Thu, 05 Mar 2026 11:00:00 +0000",
    "From: Dave Kowalski <dave.kowalski@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Deck photo inline",
    "MIME-Version: 1.0",
    'Content-Type: multipart/related; boundary="rel"',
    "",
    "--rel",
    'Content-Type: text/html; charset="utf-8"',
    "",
    '<html><body><p onclick="steal()">Deck <b>done</b>.</p><script>alert(1)</script><img src="cid:deck1"></body></html>',
    "--rel",
    "Content-Type: image/png",
    "Content-ID: <deck1>",
    'Content-Disposition: inline; filename="deck.png"',
    "Content-Transfer-Encoding: base64",
    "",
    PNG_BYTES.toString("base64"),
    "--rel--",
    "",
  ]),
  "d-file-attachment.eml": crlf([
    "Message-ID: <file-004@contoso-build.example>",
    "Date: Fri, 06 Mar 2026 12:00:00 +0000",
    "From: Priya Raman <priya.raman@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Drawing attached",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix"',
    "",
    "--mix",
    'Content-Type: text/plain; charset="utf-8"',
    "",
    "See the drawing.",
    "--mix",
    'Content-Type: application/pdf; name="S-301 drawing.pdf"',
    'Content-Disposition: attachment; filename="S-301 drawing.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    PDF_BYTES.toString("base64"),
    "--mix--",
    "",
  ]),
  "e-smime.eml": crlf([
    "Message-ID: <smime-005@contoso-build.example>",
    "Date: Sat, 07 Mar 2026 13:00:00 +0000",
    "From: Legal <legal@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Encrypted contract",
    "MIME-Version: 1.0",
    'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
    'Content-Disposition: attachment; filename="smime.p7m"',
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("not really encrypted").toString("base64"),
    "",
  ]),
  "f-html-only.eml": crlf([
    "Message-ID: <html-006@contoso-build.example>",
    "Date: Sun, 08 Mar 2026 14:00:00 +0000",
    "From: Jenna Liu <jenna.liu@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Weekly summary",
    "MIME-Version: 1.0",
    'Content-Type: text/html; charset="utf-8"',
    "",
    "<html><body><h1>Summary</h1><p>All trades on schedule.</p></body></html>",
    "",
  ]),
};

/** A temp folder holding the fixtures (file name → raw bytes also returned). */
export function writeMailFixtures(): { dir: string; raw: Record<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), "sept-mail-seed-"));
  const raw: Record<string, Buffer> = {};
  for (const [name, text] of Object.entries(FIXTURES)) {
    const bytes = Buffer.from(text, "utf8");
    writeFileSync(join(dir, name), bytes);
    raw[name] = bytes;
  }
  return { dir, raw };
}
