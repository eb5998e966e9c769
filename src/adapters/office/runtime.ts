import { SeptError } from "../../core/errors.js";

/**
 * The slice of Office.js that SEPT uses, typed so that tests and the Outlook stand-in can provide
 * it without a global. Office.js itself satisfies it; nothing outside this folder reads
 * `globalThis.Office`.
 */
export interface AsyncResultLike<T> {
  // Office.js types these as numeric enums; the stand-in uses strings. Compared, never inspected.
  status: unknown;
  value: T;
  error?: { code: number | string; name?: string; message: string } | null;
}
export type AsyncCallback<T> = (result: AsyncResultLike<T>) => void;

export interface OfficeEmailAddressDetails {
  displayName: string;
  emailAddress: string;
}

export interface OfficeAttachmentDetails {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
}

/** A read-mode message; in compose mode `subject` is an object and `itemId` is absent. */
export interface OfficeItemRuntime {
  itemType?: string;
  itemId?: string;
  internetMessageId?: string;
  conversationId?: string;
  subject?: unknown;
  from?: OfficeEmailAddressDetails;
  to?: unknown;
  cc?: unknown;
  dateTimeCreated?: Date | string;
  attachments?: OfficeAttachmentDetails[];
}

export interface MailboxRuntime {
  item: OfficeItemRuntime | null | undefined;
  userProfile?: { displayName: string; emailAddress: string };
  diagnostics?: { hostName: string; hostVersion: string };
  convertToRestId(itemId: string, restVersion: unknown): string;
  addHandlerAsync(
    eventType: unknown,
    handler: (args?: unknown) => void,
    callback?: AsyncCallback<void>,
  ): void;
  removeHandlerAsync(eventType: unknown, callback?: AsyncCallback<void>): void;
}

export interface RoamingSettingsRuntime {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback?: AsyncCallback<void>): void;
}

export interface OfficeThemeRuntime {
  bodyBackgroundColor: string;
  bodyForegroundColor: string;
  controlBackgroundColor: string;
  controlForegroundColor: string;
}

export interface OfficeRuntime {
  onReady(): Promise<{ host: unknown; platform: unknown }>;
  context: {
    displayLanguage: string;
    officeTheme?: OfficeThemeRuntime;
    requirements: { isSetSupported(name: string, minVersion?: string): boolean };
    diagnostics?: { host: unknown; platform: unknown; version: string };
    mailbox: MailboxRuntime;
    roamingSettings: RoamingSettingsRuntime;
  };
  EventType: { ItemChanged: unknown };
  AsyncResultStatus: { Succeeded: unknown; Failed: unknown };
  MailboxEnums: { RestVersion: { v2_0: unknown } };
}

let override: OfficeRuntime | null = null;

/** Tests and the composition root set the runtime; `null` goes back to the global Office.js. */
export function setOfficeRuntime(runtime: OfficeRuntime | null): void {
  override = runtime;
}

export function getOfficeRuntime(): OfficeRuntime {
  if (override) return override;
  const office = (globalThis as { Office?: OfficeRuntime }).Office;
  if (!office) {
    throw new SeptError("unsupported_host", { message: "Office.js is not loaded" });
  }
  return office;
}
