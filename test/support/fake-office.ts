import type {
  AsyncCallback,
  OfficeItemRuntime,
  OfficeRuntime,
} from "../../src/adapters/office/runtime.js";
import type { OfficeItemView } from "../../dev/graph-fake/types.js";

export interface FakeOfficeOptions {
  item?: OfficeItemRuntime | null;
  displayLanguage?: string;
  bodyBackgroundColor?: string;
  /** Supported requirement sets and their highest version. */
  requirements?: Record<string, string>;
  roamingSettings?: Record<string, unknown>;
  /** Make saveAsync fail, as Outlook does past 32 KB. */
  failRoamingSave?: boolean;
}

export interface FakeOffice {
  runtime: OfficeRuntime;
  /** Select another message as Outlook would with a pinned pane. */
  selectItem(item: OfficeItemRuntime | null): void;
  handlerCount(): number;
  savedRoaming(): Record<string, unknown>;
}

const ok = <T>(value: T) => ({ status: "succeeded", value });

/** An in-memory Office runtime for unit tests, typed against the same interface as Office.js. */
export function createFakeOffice(options: FakeOfficeOptions = {}): FakeOffice {
  const handlers: Array<() => void> = [];
  const requirements = options.requirements ?? { Mailbox: "1.14" };
  const roaming: Record<string, unknown> = { ...(options.roamingSettings ?? {}) };
  let saved: Record<string, unknown> = { ...roaming };
  const runtime: OfficeRuntime = {
    onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }),
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { ItemChanged: "olkItemSelectedChanged" },
    MailboxEnums: { RestVersion: { v2_0: "v2.0" } },
    context: {
      displayLanguage: options.displayLanguage ?? "en-US",
      officeTheme: {
        bodyBackgroundColor: options.bodyBackgroundColor ?? "#ffffff",
        bodyForegroundColor: "#000000",
        controlBackgroundColor: "#ffffff",
        controlForegroundColor: "#000000",
      },
      diagnostics: { host: "Outlook", platform: "OfficeOnline", version: "16.0" },
      requirements: {
        isSetSupported(name, minVersion = "1.1") {
          const have = requirements[name];
          if (!have) return false;
          const [a, b] = [have.split(".").map(Number), minVersion.split(".").map(Number)];
          return (a[0] ?? 0) * 1000 + (a[1] ?? 0) >= (b[0] ?? 0) * 1000 + (b[1] ?? 0);
        },
      },
      mailbox: {
        item: options.item ?? null,
        convertToRestId: (id: string) => id.replace(/\//g, "-").replace(/\+/g, "_"),
        addHandlerAsync(_type, handler, callback?: AsyncCallback<void>) {
          handlers.push(() => handler());
          callback?.(ok(undefined));
        },
        removeHandlerAsync(_type, callback?: AsyncCallback<void>) {
          handlers.length = 0;
          callback?.(ok(undefined));
        },
      },
      roamingSettings: {
        get: (name) => roaming[name],
        set: (name, value) => {
          roaming[name] = value;
        },
        remove: (name) => {
          delete roaming[name];
        },
        saveAsync(callback?: AsyncCallback<void>) {
          if (options.failRoamingSave) {
            callback?.({
              status: "failed",
              value: undefined,
              error: { code: 9000, message: "too big" },
            });
            return;
          }
          saved = JSON.parse(JSON.stringify(roaming)) as Record<string, unknown>;
          callback?.(ok(undefined));
        },
      },
    },
  };
  return {
    runtime,
    selectItem(item) {
      runtime.context.mailbox.item = item;
      for (const h of [...handlers]) h();
    },
    handlerCount: () => handlers.length,
    savedRoaming: () => saved,
  };
}

export function sampleItem(overrides: Partial<OfficeItemRuntime> = {}): OfficeItemRuntime {
  return {
    itemType: "message",
    itemId: "AAMkAGI2TG93AAA/x+y=",
    internetMessageId: "<rfi-014@fabrikam-arch.example>",
    conversationId: "AAQkAGI2conv",
    subject: "RFI-014: Level 4 slab penetrations",
    from: { displayName: "Priya Shah", emailAddress: "priya.shah@fabrikam-arch.example" },
    to: [{ displayName: "Alex Martin", emailAddress: "alex.martin@contoso-build.example" }],
    cc: [],
    dateTimeCreated: new Date("2026-10-14T15:32:00Z"),
    attachments: [
      {
        id: "att1",
        name: "RFI-014.pdf",
        contentType: "application/pdf",
        size: 18000,
        isInline: false,
      },
    ],
    ...overrides,
  };
}

/** The fields of a fake-mailbox message that Office.js shows in read mode and the fake Office uses. */
export type MailboxView = Pick<
  OfficeItemView,
  | "itemId"
  | "internetMessageId"
  | "conversationId"
  | "subject"
  | "from"
  | "to"
  | "cc"
  | "dateTimeCreated"
  | "attachments"
> &
  Partial<Pick<OfficeItemView, "itemClass">>;

/**
 * The item Office.js gives for `view`; with `readEml` it has getAsFileAsync (as on a Mailbox
 * 1.14 host) answering the base64 EML, else it has none (an older host).
 */
export function officeItemOf(
  view: MailboxView,
  readEml?: (itemId: string) => Promise<string>,
): OfficeItemRuntime {
  const address = (a: { name: string; address: string }) => ({
    displayName: a.name,
    emailAddress: a.address,
  });
  return {
    itemType: "message",
    itemClass: view.itemClass ?? "IPM.Note",
    itemId: view.itemId,
    internetMessageId: view.internetMessageId,
    conversationId: view.conversationId,
    subject: view.subject,
    from: address(view.from),
    // Outlook on the web returns at most 20 of each in the collapsed view (office.messageread).
    to: view.to.slice(0, 20).map(address),
    cc: view.cc.slice(0, 20).map(address),
    dateTimeCreated: new Date(view.dateTimeCreated),
    attachments: view.attachments,
    ...(readEml
      ? {
          getAsFileAsync(callback: AsyncCallback<string>) {
            readEml(view.itemId).then(
              (value) => callback(ok(value)),
              (error: unknown) =>
                callback({
                  status: "failed",
                  value: "",
                  error: { code: 9002, message: String(error) },
                }),
            );
          },
        }
      : {}),
  };
}

/**
 * What Outlook's getAsFileAsync hands over for an item of the Graph fake's mailbox: the bytes its
 * `$value` serves, base64 (the fake's `/_fake/mime` helper), for `officeItemOf`.
 */
export function fakeMimeBase64(fake: {
  fetch(path: string): Promise<Response>;
}): (itemId: string) => Promise<string> {
  return async (itemId) => {
    const response = await fake.fetch(`/_fake/mime?itemId=${encodeURIComponent(itemId)}`);
    if (!response.ok) throw new Error(`mime ${response.status}`);
    return ((await response.json()) as { base64: string }).base64;
  };
}
