/** What the pane knows about the message open in Outlook, parsed once from Office at the adapter. */
export interface EmailAddress {
  name: string;
  address: string;
}

export interface AttachmentSummary {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
}

/** The header fields Office, Graph and a stored record all carry for a message. */
export interface MessageHeaders {
  internetMessageId: string | null;
  conversationId: string | null;
  subject: string;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
}

export interface MessageSummary extends MessageHeaders {
  /** Office's item id (an EWS id on desktop and web; already a REST id on mobile). */
  itemId: string;
  /** When the message was created (received or sent), ISO-8601. */
  date: string;
  attachments: AttachmentSummary[];
  /** Office's message class, e.g. "IPM.Note" or "IPM.Note.SMIME" (encrypted), when known. */
  itemClass?: string;
}

/** The item currently open in Outlook, as a closed set of cases the UI must each handle. */
export type CurrentItem =
  { status: "message"; message: MessageSummary } | { status: "none" } | { status: "compose" };
