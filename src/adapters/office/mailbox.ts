import { SeptError } from "../../core/errors.js";
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

/** Whether the host can hand over the open message's EML itself (Mailbox 1.14, read mode). */
export function canReadEml(runtime: Pick<OfficeRuntime, "context">): boolean {
  const item = runtime.context.mailbox.item;
  return (
    requirementMet(runtime, REQUIREMENTS.emlFile) && typeof item?.getAsFileAsync === "function"
  );
}

function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The open message as EML bytes, through item.getAsFileAsync (base64 from Office). */
export async function readOpenItemEml(runtime: OfficeRuntime): Promise<Uint8Array> {
  const item = runtime.context.mailbox.item;
  const getAsFile = item?.getAsFileAsync;
  if (!item || typeof getAsFile !== "function" || !requirementMet(runtime, REQUIREMENTS.emlFile)) {
    throw new SeptError("unsupported_host", { message: "item.getAsFileAsync is unavailable" });
  }
  const base64 = await officeAsync<string>(runtime, (cb) => getAsFile.call(item, cb));
  if (typeof base64 !== "string") {
    throw new SeptError("office_call_failed", { message: "getAsFileAsync gave no EML" });
  }
  return base64Bytes(base64);
}
