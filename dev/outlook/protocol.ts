// The messages between the Outlook stand-in page (the host) and the Office runtime it provides to
// the task pane iframe. Real Outlook talks to Office.js over postMessage too; this is our own,
// smaller protocol.

export interface StandinAddress {
  displayName: string;
  emailAddress: string;
}

/** A read-mode item as Office.js exposes it (dates as ISO strings on the wire). */
export interface StandinItem {
  itemType: "message";
  itemClass: string;
  itemId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: StandinAddress;
  to: StandinAddress[];
  cc: StandinAddress[];
  dateTimeCreated: string;
  dateTimeModified: string;
  attachments: Array<{
    id: string;
    name: string;
    contentType: string;
    size: number;
    isInline: boolean;
    attachmentType: "file";
  }>;
}

/** Outlook add-in permission levels, lowest first (manifest `<Permissions>`). */
export const PERMISSION_LEVELS = ["Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"];

export interface StandinContext {
  displayLanguage: string;
  /** The manifest's `<Permissions>`: what the add-in may call (understanding-outlook-add-in-permissions.md). */
  permissions: string;
  /** The manifest's `<SupportsMultiSelect>`: whether Outlook activates it on several messages. */
  supportsMultiSelect: boolean;
  theme: "light" | "dark";
  item: StandinItem | null;
  /** Requirement sets and the highest version supported, e.g. { Mailbox: "1.14" }. */
  requirements: Record<string, string>;
  roamingSettings: Record<string, unknown>;
  userProfile: { displayName: string; emailAddress: string };
  /** Items selected in the message list, for getSelectedItemsAsync. */
  selectedItems: StandinItem[];
}

export type HostToPane =
  | { type: "sept-standin:init"; context: StandinContext }
  | { type: "sept-standin:itemChanged"; item: StandinItem | null; selectedItems: StandinItem[] }
  | { type: "sept-standin:reply"; requestId: number; ok: boolean; value?: unknown; error?: string };

export type PaneToHost =
  | { type: "sept-standin:hello" }
  | { type: "sept-standin:saveRoaming"; requestId: number; settings: Record<string, unknown> }
  /** item.getAsFileAsync: the host answers the message's EML as base64 (`value`). */
  | { type: "sept-standin:getAsFile"; requestId: number; itemId: string };

export const ROAMING_STORAGE_KEY = "sept-standin:roaming-settings";
