// OneDrive / SharePoint naming rules (contract §2 "Names"): rejected names answer 400
// invalidRequest with the inner code invalidPath, too-long paths pathIsTooLong.
import { GraphError } from "./errors.js";

export const MAX_PATH_CHARS = 400;

const RESERVED_CHARS = /["*:<>?/\\|#%]/;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function invalidPath(message: string): GraphError {
  return new GraphError(400, "invalidRequest", message, "invalidPath");
}

export function validateName(name: string, isFolder: boolean): void {
  if (name === "" || name === "." || name === "..")
    throw invalidPath("The name is empty or invalid.");
  if (RESERVED_CHARS.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20)) {
    throw invalidPath(`The name '${name}' contains characters that aren't allowed.`);
  }
  if (name !== name.trim()) throw invalidPath("Names can't start or end with a space.");
  if (isFolder && name.endsWith(".")) throw invalidPath("Folder names can't end with a period.");
  if (name.startsWith("~")) throw invalidPath("Names can't start with '~'.");
  const lower = name.toLowerCase();
  if (
    RESERVED_NAMES.test(name) ||
    lower === ".lock" ||
    lower === "desktop.ini" ||
    lower.includes("_vti_")
  ) {
    throw invalidPath(`The name '${name}' is reserved.`);
  }
}

export function checkPathLength(fullPath: string): void {
  if (fullPath.length > MAX_PATH_CHARS) {
    throw new GraphError(
      400,
      "invalidRequest",
      `The path is longer than ${MAX_PATH_CHARS} characters.`,
      "pathIsTooLong",
    );
  }
}

/** Splits a raw `a/b%20c/d` path into decoded segments. */
export function decodeSegments(rawPath: string): string[] {
  const out: string[] = [];
  for (const seg of rawPath.split("/")) {
    if (seg === "") continue;
    try {
      out.push(decodeURIComponent(seg));
    } catch {
      throw invalidPath(`The path segment '${seg}' is not correctly percent-encoded.`);
    }
  }
  return out;
}

/** OneDrive's rename on conflict: "report.eml" → "report 1.eml", "report 2.eml", … */
export function renameCandidate(name: string, n: number): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)} ${n}${name.slice(dot)}` : `${name} ${n}`;
}

const MIME_TYPES: Record<string, string> = {
  eml: "message/rfc822",
  json: "application/json",
  txt: "text/plain",
  csv: "text/csv",
  html: "text/html",
  pdf: "application/pdf",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  xml: "application/xml",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function mimeTypeFor(name: string): string {
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return MIME_TYPES[ext] ?? "application/octet-stream";
}
