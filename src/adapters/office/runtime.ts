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
  itemClass?: string;
  itemId?: string;
  internetMessageId?: string;
  conversationId?: string;
  subject?: unknown;
  from?: OfficeEmailAddressDetails;
  to?: unknown;
  cc?: unknown;
  dateTimeCreated?: Date | string;
  attachments?: OfficeAttachmentDetails[];
  /** Mailbox 1.14, read mode: the message as base64 EML. Absent on older hosts. */
  getAsFileAsync?(callback: AsyncCallback<string>): void;
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

/** DialogApi 1.2 adds `origin`; older hosts send the message alone. */
export interface DialogMessageArgs {
  message: string;
  origin?: string;
}
/** 12002 page not loadable, 12003 http, 12006 closed by the user. */
export interface DialogEventArgs {
  error: number;
}
export interface OfficeDialogRuntime {
  addEventHandler(
    eventType: unknown,
    handler: (args: DialogMessageArgs | DialogEventArgs) => void,
  ): void;
  close(): void;
}
export interface DialogOptions {
  /** Percent of the screen. */
  height?: number;
  width?: number;
  displayInIframe?: boolean;
  promptBeforeOpen?: boolean;
}
/** The Office dialog API (DialogApi 1.1): sign-in fallback when nested app auth is missing. */
export interface OfficeUiRuntime {
  displayDialogAsync?(
    url: string,
    options: DialogOptions,
    callback: AsyncCallback<OfficeDialogRuntime>,
  ): void;
  /** Only inside a dialog page: sends a string to the page that opened it. */
  messageParent?(message: string, options?: { targetOrigin: string }): void;
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
    ui?: OfficeUiRuntime;
  };
  EventType: {
    ItemChanged: unknown;
    DialogMessageReceived?: unknown;
    DialogEventReceived?: unknown;
  };
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
