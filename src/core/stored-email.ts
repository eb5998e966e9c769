import type { Purpose } from "./consent/consent.js";
import type { EmailAddress } from "./message.js";

/** The JSON record kept for each saved email (with a .eml beside it when content was saved). */
export interface StoredEmailRecord {
  schema: 1;
  savedId: string;
  projectId: string;
  savedAt: string;
  consentGrantId: string;
  purposes: Purpose[];
  message: {
    immutableId: string;
    internetMessageId: string | null;
    conversationId: string | null;
    subject: string;
    from: EmailAddress | null;
    to: EmailAddress[];
    cc: EmailAddress[];
    receivedDateTime: string | null;
    sentDateTime: string | null;
    hasAttachments: boolean;
  };
  content: { stored: false } | { stored: true; path: string; sizeBytes: number; sha256: string };
  note?: string;
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The saved id is derived from the message and the project, so saving the same message to the same
 * project again lands on the same name and is recognised, never stored twice.
 */
export async function savedIdFor(
  message: { internetMessageId: string | null; immutableId: string },
  projectId: string,
): Promise<string> {
  const key = message.internetMessageId ?? `immutable:${message.immutableId}`;
  return (await sha256Hex(`${key}\n${projectId}`)).slice(0, 32);
}
