// What a message's class and MIME say of its protection: encrypted and rights-protected mail is
// refused (SEPT never stores what it cannot read back); signed mail is saved byte for byte.
import { SeptError } from "../../core/errors.js";
import { topHeaderLines } from "./mime-headers.js";

/**
 * What Outlook's message class says of protection. Clear-signed S/MIME has its own class
 * (IPM.Note.SMIME.MultipartSigned) and stays readable; IPM.Note.SMIME is either encrypted or
 * opaque-signed (application/pkcs7-mime, smime-type signed-data), so only the MIME can tell
 * [MS-OXOSMIME 2.1.3.1]; rights-managed mail has "rpmsg" in its class.
 */
export function itemClassProtection(
  itemClass: string | undefined,
): "none" | "irm" | "smime_unknown" {
  if (!itemClass) return "none";
  const value = itemClass.toLowerCase();
  if (value.includes("rpmsg")) return "irm";
  if (value.startsWith("ipm.note.smime") && !value.startsWith("ipm.note.smime.multipartsigned")) {
    return "smime_unknown";
  }
  return "none";
}

const HEADER_SCAN_BYTES = 64 * 1024;
const RPMSG_MARKER =
  /application\/x-microsoft-rpmsg-message|name\s*=\s*"?[^"\r\n;]*\.rpmsg\b|rpmsg\.message/i;

const topHeaders = (mime: Uint8Array) => topHeaderLines(mime, HEADER_SCAN_BYTES);

/** How a message is protected, from its MIME. Signed mail is readable and saved byte for byte. */
export type MimeProtection = "none" | "signed" | "encrypted" | "irm";

/** A MIME parameter's value (`smime-type=enveloped-data`, quoted or not), lower case. */
function mimeParameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*"?([^";\\s]+)`, "i").exec(value);
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * Classifies the MIME (RFC 8551 §3.2): `application/pkcs7-mime` is encrypted when its
 * smime-type is enveloped-data or authEnveloped-data (or absent: it cannot be told, so it is
 * treated as encrypted) and signed when signed-data; `multipart/signed` is clear-signed;
 * `multipart/encrypted` is PGP/MIME (RFC 3156); IRM is an `.rpmsg` part or `Content-Class:
 * rpmsg.message`, searched in the bytes so a large message is never decoded whole.
 */
export function mimeProtection(mime: Uint8Array): MimeProtection {
  return scanMime(mime).protection;
}

/** A part declared `Content-Disposition: attachment` (RFC 2183), at the start of a line. */
const ATTACHMENT_DISPOSITION = /^content-disposition:[ \t]*attachment\b/im;

/**
 * One pass over the MIME: its protection (see mimeProtection) and whether any part is declared
 * an attachment. Outlook leaves blocked file types out of Office.js's `attachments` (office.
 * messageread: "Certain types of files are blocked ... and are therefore not returned"), while
 * Graph's hasAttachments counts them: the MIME tells.
 */
export function scanMime(mime: Uint8Array): {
  protection: MimeProtection;
  declaresAttachment: boolean;
} {
  const protection = headerProtection(mime);
  // Refused anyway: what else it holds does not matter.
  if (protection === "encrypted" || protection === "irm") {
    return { protection, declaresAttachment: false };
  }
  let declaresAttachment = false;
  // The bytes are searched as they are: decoding a large message to text first costs more than
  // the rest of the save's own work. Each candidate is checked on a short decoded window.
  const window = new TextDecoder("latin1");
  const text = (from: number, to: number) =>
    window.decode(mime.subarray(Math.max(0, from), Math.min(mime.byteLength, to)));
  const last = mime.byteLength;
  for (let i = 0; i < last; i++) {
    const c = mime[i]! | 0x20;
    if (c === R && startsWithAscii(mime, i, "rpmsg")) {
      // A marker's line starts at most a header line (998 bytes, RFC 5322 §2.1.1) before.
      if (RPMSG_MARKER.test(text(i - 1000, i + 64))) {
        return { protection: "irm", declaresAttachment: false };
      }
    } else if (
      c === C &&
      !declaresAttachment &&
      (i === 0 || mime[i - 1] === LF) &&
      startsWithAscii(mime, i, "content-disposition")
    ) {
      declaresAttachment = ATTACHMENT_DISPOSITION.test(text(i, i + 80));
    }
  }
  return { protection, declaresAttachment };
}

const R = 0x72;
const C = 0x63;
const LF = 0x0a;

/** Whether `needle` (lower-case ASCII) is at `at`, ignoring ASCII case. */
function startsWithAscii(bytes: Uint8Array, at: number, needle: string): boolean {
  if (at + needle.length > bytes.byteLength) return false;
  for (let j = 0; j < needle.length; j++) {
    if ((bytes[at + j]! | 0x20) !== needle.charCodeAt(j)) return false;
  }
  return true;
}

/** What the top-level headers say of protection (the body's IRM markers aside). */
function headerProtection(mime: Uint8Array): MimeProtection {
  let signed = false;
  for (const line of topHeaders(mime)) {
    const [name = "", ...rest] = line.split(":");
    const value = rest.join(":").trim();
    const header = name.trim().toLowerCase();
    const type = value.toLowerCase();
    if (header === "content-type") {
      if (/^application\/(x-)?pkcs7-mime\b/.test(type)) {
        const smimeType = mimeParameter(value, "smime-type");
        if (smimeType === "signed-data" || smimeType === "certs-only") signed = true;
        else return "encrypted";
      } else if (/^multipart\/encrypted\b/.test(type)) {
        return "encrypted";
      } else if (/^multipart\/signed\b/.test(type)) {
        signed = true;
      }
    }
    if (header === "content-class" && type.startsWith("rpmsg.message")) return "irm";
  }
  return signed ? "signed" : "none";
}

/** Whether the MIME is encrypted or rights-protected (signed mail is not). */
export function isProtectedMime(mime: Uint8Array): boolean {
  const protection = mimeProtection(mime);
  return protection === "encrypted" || protection === "irm";
}

/** The refusal for a protected message, each kind with its own explanation. */
export function protectionRefusal(kind: "encrypted" | "irm", source: string): SeptError {
  return new SeptError(kind === "irm" ? "rights_protected" : "encrypted_message", {
    params: { source },
  });
}
