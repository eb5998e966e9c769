import type { AttachmentSummary, CurrentItem, EmailAddress } from "../../core/message.js";
import { officeAsync } from "./office-async.js";
import { REQUIREMENTS, requirementMet } from "./capabilities.js";
import type { OfficeItemRuntime, OfficeRuntime } from "./runtime.js";

function parseAddress(value: unknown): EmailAddress | null {
  if (!value || typeof value !== "object") return null;
  const { displayName, emailAddress } = value as { displayName?: unknown; emailAddress?: unknown };
  if (typeof emailAddress !== "string") return null;
  return { name: typeof displayName === "string" ? displayName : "", address: emailAddress };
}

function parseAddresses(value: unknown): EmailAddress[] {
  if (!Array.isArray(value)) return [];
  return value.map(parseAddress).filter((a): a is EmailAddress => a !== null);
}

function parseAttachments(value: OfficeItemRuntime["attachments"]): AttachmentSummary[] {
  if (!Array.isArray(value)) return [];
  return value.map((a) => ({
    id: String(a.id),
    name: String(a.name ?? ""),
    contentType: String(a.contentType ?? "application/octet-stream"),
    size: Number.isFinite(a.size) ? a.size : 0,
    isInline: Boolean(a.isInline),
  }));
}

function parseDate(value: OfficeItemRuntime["dateTimeCreated"]): string {
  const date = value instanceof Date ? value : new Date(String(value ?? ""));
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

/** Parses Office's current item into the domain type, once, here. */
export function readCurrentItem(runtime: Pick<OfficeRuntime, "context">): CurrentItem {
  const item = runtime.context.mailbox.item;
  if (!item) return { status: "none" };
  // In compose mode `subject` is an object with getAsync and there is no item id yet.
  if (typeof item.subject !== "string" || !item.itemId) return { status: "compose" };
  return {
    status: "message",
    message: {
      itemId: item.itemId,
      internetMessageId: item.internetMessageId || null,
      conversationId: item.conversationId || null,
      subject: item.subject,
      from: parseAddress(item.from),
      to: parseAddresses(item.to),
      cc: parseAddresses(item.cc),
      date: parseDate(item.dateTimeCreated),
      attachments: parseAttachments(item.attachments),
      ...(typeof item.itemClass === "string" ? { itemClass: item.itemClass } : {}),
    },
  };
}

/**
 * Calls `onChange` whenever the user selects another message while the pane is pinned.
 * Returns the function that removes the handler; on hosts without pinning it does nothing.
 */
export async function onItemChanged(
  runtime: OfficeRuntime,
  onChange: (item: CurrentItem) => void,
): Promise<() => Promise<void>> {
  if (!requirementMet(runtime, REQUIREMENTS.pinning)) return async () => {};
  const { mailbox } = runtime.context;
  const eventType = runtime.EventType.ItemChanged;
  await officeAsync<void>(runtime, (cb) =>
    mailbox.addHandlerAsync(eventType, () => onChange(readCurrentItem(runtime)), cb),
  );
  return () => officeAsync<void>(runtime, (cb) => mailbox.removeHandlerAsync(eventType, cb));
}

/** Office's item ids are EWS ids on desktop and web; Graph needs REST ids. */
export function toRestId(runtime: OfficeRuntime, itemId: string): string {
  return runtime.context.mailbox.convertToRestId(itemId, runtime.MailboxEnums.RestVersion.v2_0);
}

export interface HostInfo {
  host: string;
  platform: string;
  version: string;
}

export function hostInfo(runtime: Pick<OfficeRuntime, "context">): HostInfo {
  const d = runtime.context.diagnostics;
  const m = runtime.context.mailbox.diagnostics;
  return {
    host: d?.host != null ? String(d.host) : "Outlook",
    platform: d?.platform != null ? String(d.platform) : "unknown",
    version: d?.version ?? m?.hostVersion ?? "unknown",
  };
}

export interface SelectedItem {
  itemId: string;
  subject: string;
}

/** Items selected in the message list (Mailbox 1.13), or null where the host cannot tell. */
export async function selectedItems(runtime: OfficeRuntime): Promise<SelectedItem[] | null> {
  const mailbox = runtime.context.mailbox;
  if (!requirementMet(runtime, REQUIREMENTS.multiSelect) || !mailbox.getSelectedItemsAsync) {
    return null;
  }
  const items = await officeAsync<Array<{ itemId?: unknown; subject?: unknown }>>(runtime, (cb) =>
    mailbox.getSelectedItemsAsync?.(cb),
  );
  return items
    .filter((i) => typeof i.itemId === "string")
    .map((i) => ({
      itemId: i.itemId as string,
      subject: typeof i.subject === "string" ? i.subject : "",
    }))
    .slice(0, 100);
}

/** Calls `onChange` when the selection changes (Mailbox 1.13); returns the remover. */
export async function onSelectionChanged(
  runtime: OfficeRuntime,
  onChange: () => void,
): Promise<() => Promise<void>> {
  const eventType = runtime.EventType.SelectedItemsChanged;
  if (!eventType || !requirementMet(runtime, REQUIREMENTS.multiSelect)) return async () => {};
  const { mailbox } = runtime.context;
  await officeAsync<void>(runtime, (cb) => mailbox.addHandlerAsync(eventType, onChange, cb));
  return () => officeAsync<void>(runtime, (cb) => mailbox.removeHandlerAsync(eventType, cb));
}
