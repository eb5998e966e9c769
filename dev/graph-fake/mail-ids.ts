// Deterministic Exchange-style ids. Office.js hands out EWS ids (standard base64); Graph wants
// REST ids, which Office's convertToRestId derives by `/`→`-` and `+`→`_`. Immutable ids have
// their own prefix so tests can tell the kinds apart.
import { createHash } from "node:crypto";

const EWS_PREFIX = Buffer.from([0x00, 0x03, 0x24, 0x00]); // "AAMkA…", like a mailbox item
const IMMUTABLE_PREFIX = Buffer.from([0x00, 0x09, 0x00, 0x2e, 0x00, 0x00]); // "AAkALgAA…"
const CONVERSATION_PREFIX = Buffer.from([0x00, 0x04, 0x24, 0x00]); // "AAQkA…"

function digest(text: string, bytes: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; Buffer.concat(out).length < bytes; i++) {
    out.push(createHash("sha256").update(`${i}:${text}`).digest());
  }
  return Buffer.concat(out).subarray(0, bytes);
}

export function ewsToRest(id: string): string {
  return id.replace(/\//g, "-").replace(/\+/g, "_");
}

export function restToEws(id: string): string {
  return id.replace(/-/g, "/").replace(/_/g, "+");
}

export interface MessageIds {
  ewsBytes: Buffer;
  ewsId: string;
  restId: string;
  immutableId: string;
}

/** Ids for a message; the EWS form always contains `/` or `+` so a missing conversion shows. */
export function messageIds(key: string): MessageIds {
  for (let n = 0; ; n++) {
    const ewsBytes = Buffer.concat([EWS_PREFIX, digest(`ews#${n}#${key}`, 37)]);
    const ewsId = ewsBytes.toString("base64");
    if (!/[/+]/.test(ewsId)) continue;
    const immutableId = ewsToRest(
      Buffer.concat([IMMUTABLE_PREFIX, digest(`imm#${key}`, 40)]).toString("base64"),
    );
    return { ewsBytes, ewsId, restId: ewsToRest(ewsId), immutableId };
  }
}

/** Attachment id in EWS form; Graph takes the REST form. */
export function attachmentEwsId(messageEwsBytes: Buffer, index: number): string {
  const tail = Buffer.from([0x01, 0x12, 0x00, 0x10, 0x00, index & 0xff]);
  return Buffer.concat([messageEwsBytes, tail, digest(`att#${index}`, 9)]).toString("base64");
}

export function conversationIdFor(rootMessageId: string): string {
  return ewsToRest(
    Buffer.concat([CONVERSATION_PREFIX, digest(`conv#${rootMessageId}`, 32)]).toString("base64"),
  );
}

export function changeKeyFor(key: string): string {
  return Buffer.concat([
    Buffer.from([0x09, 0x00, 0x00, 0x00, 0x16]),
    digest(`ck#${key}`, 19),
  ]).toString("base64");
}

/** True for an id that still has EWS-only characters (it was not converted to REST). */
export function looksLikeEwsId(id: string): boolean {
  return /[/+]/.test(id);
}
