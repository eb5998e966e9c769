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
const RPMSG_ANYWHERE = /rpmsg/i;
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
 *
 * It runs between the message's download and its upload, so its time is the save's: the bytes are
 * decoded once and searched by the engine's regular expressions, about twice as quick on a 3 MB
 * message as a loop over the bytes in script (4 to 6 ms against 11 to 12 here, in Node).
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
  // Every byte one character (ASCII stays ASCII), so the patterns see the bytes as they are.
  const text = new TextDecoder("latin1").decode(mime);
  // The marker's alternation is slow to search for; "rpmsg", in all three, is not.
  if (RPMSG_ANYWHERE.test(text) && RPMSG_MARKER.test(text)) {
    return { protection: "irm", declaresAttachment: false };
  }
  return { protection, declaresAttachment: ATTACHMENT_DISPOSITION.test(text) };
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
