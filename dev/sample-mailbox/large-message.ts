// A message over 4 MB for the Graph fake's mailbox: Graph's simple upload stops at 4 MB, so saving
// it exercises the upload-session path. Generated instead of committed, and deterministic (fixed
// dates, ids and pseudo-random bytes) so ids and sizes are the same on every run.

export const LARGE_MESSAGE_ID = "<tower-b-site-photos-2026-10-16@contoso-build.example>";
export const LARGE_ATTACHMENT_NAME = "Tower-B-site-photos.zip";
/** Raw attachment size; base64 makes the message about 6 MB. */
export const LARGE_ATTACHMENT_BYTES = 4_600_000;

/** xorshift32 bytes: cheap, deterministic and incompressible enough to look like a zip. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  for (; i < length; i++) out[i] = (x >>> ((i % 4) * 8)) & 0xff;
  // A zip local-file-header signature so tools sniffing the type see a zip.
  out.write("PK\u0003\u0004", 0, "latin1");
  return out;
}

function wrapBase64(data: Buffer): string {
  const b64 = data.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}

export function buildLargeMessage(): Buffer {
  const boundary = "_007_TowerBSitePhotos20261016_";
  const body = [
    "Alex,",
    "",
    "Attached is the full photo archive from this week's site walk on Tower B",
    "(levels 3 to 6, east and north elevations, crane base and laydown area).",
    "The archive is large, so please file it with the project record rather",
    "than forwarding it around.",
    "",
    "Highlights:",
    "- Level 5 reinforcing before the inspection (photos 012-047)",
    "- Curtain wall mock-up, north elevation (photos 048-063)",
    "- Crane base after the jump, bolts and grout (photos 064-080)",
    "",
    "Regards,",
    "Priya Raman",
    "Site Engineer, Contoso Build",
  ].join("\r\n");
  const headers = [
    `Message-ID: ${LARGE_MESSAGE_ID}`,
    "Date: Fri, 16 Oct 2026 17:05:12 -0600",
    "From: Priya Raman <priya.raman@contoso-build.example>",
    "To: Alex Martin <alex.martin@contoso-build.example>",
    "Subject: Tower B - site photo archive, week 42",
    "Content-Language: en-CA",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ].join("\r\n");
  const parts = [
    headers,
    "",
    `--${boundary}`,
    'Content-Type: text/plain; charset="utf-8"',
    "Content-Transfer-Encoding: 7bit",
    "",
    body,
    "",
    `--${boundary}`,
    `Content-Type: application/zip; name="${LARGE_ATTACHMENT_NAME}"`,
    `Content-Disposition: attachment; filename="${LARGE_ATTACHMENT_NAME}"`,
    "Content-Transfer-Encoding: base64",
    "",
    wrapBase64(pseudoRandomBytes(LARGE_ATTACHMENT_BYTES, 0x5e97_2026)),
    "",
    `--${boundary}--`,
    "",
  ];
  return Buffer.from(parts.join("\r\n"), "latin1");
}
