// The Office runtime the Outlook stand-in gives the task pane: a small Office.js of our own that
// implements exactly the surface SEPT's Office adapter uses, answered by the host page over
// postMessage. The task pane's production code cannot tell it from Office.js.
import {
  PERMISSION_LEVELS,
  type HostToPane,
  type PaneToHost,
  type StandinContext,
  type StandinItem,
} from "./protocol.js";

type Callback = (result: {
  status: string;
  value: unknown;
  error?: { code: number; message: string };
}) => void;

const AsyncResultStatus = { Succeeded: "succeeded", Failed: "failed" } as const;
const EventType = {
  ItemChanged: "olkItemSelectedChanged",
  SelectedItemsChanged: "olkSelectedItemsChanged",
} as const;

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function permissionLevel(context: StandinContext | null): number {
  return Math.max(0, PERMISSION_LEVELS.indexOf(context?.permissions ?? "Restricted"));
}

function supports(context: StandinContext | null, set: string, minVersion: string): boolean {
  const have = context?.requirements[set];
  return have !== undefined && compareVersions(have, minVersion) >= 0;
}

/** Office.js's own wording when an add-in calls above its manifest's permission (it throws). */
function insufficientPermission(method: string): Error {
  return new Error(`Elevated permission is required to call the method: '${method}'.`);
}

/**
 * The most `to` or `cc` recipients Office.js returns in read mode on the web (office.messageread
 * `to`/`cc`: 20 in the collapsed view, 1,000 expanded); the stand-in is Outlook on the web, so
 * it takes the lower number, which breaks an add-in that trusts the list to be whole.
 */
const WEB_RECIPIENTS_SHOWN = 20;

/**
 * A read-mode message as Office.js gives it (office.messageread): the item's properties, and
 * `getAsFileAsync` only where the host has Mailbox 1.14 (older hosts have no such member).
 */
function toOfficeItem(
  item: StandinItem | null,
  context: StandinContext | null,
  getAsFile: (itemId: string, callback: Callback) => void,
) {
  if (!item) return null;
  const officeItem: Record<string, unknown> = {
    ...item,
    itemType: "message",
    normalizedSubject: item.subject.replace(/^((re|fw|fwd|tr)\s*:\s*)+/i, ""),
    sender: item.from,
    to: item.to.slice(0, WEB_RECIPIENTS_SHOWN),
    cc: item.cc.slice(0, WEB_RECIPIENTS_SHOWN),
    dateTimeCreated: new Date(item.dateTimeCreated),
    dateTimeModified: new Date(item.dateTimeModified),
  };
  if (supports(context, "Mailbox", "1.14")) {
    officeItem.getAsFileAsync = (...args: unknown[]) => {
      // getAsFileAsync([options], callback): read item is its minimum permission.
      if (permissionLevel(context) < 1) throw insufficientPermission("getAsFileAsync");
      const callback = args.find((a): a is Callback => typeof a === "function");
      getAsFile(item.itemId, callback ?? (() => undefined));
    };
  }
  return officeItem;
}

const themes = {
  light: {
    bodyBackgroundColor: "#ffffff",
    bodyForegroundColor: "#242424",
    controlBackgroundColor: "#ffffff",
    controlForegroundColor: "#242424",
  },
  dark: {
    bodyBackgroundColor: "#1f1f1f",
    bodyForegroundColor: "#ffffff",
    controlBackgroundColor: "#292929",
    controlForegroundColor: "#ffffff",
  },
};

function succeed(callback: Callback | undefined, value?: unknown) {
  if (callback) setTimeout(() => callback({ status: AsyncResultStatus.Succeeded, value }), 0);
}

function install(): void {
  const host = window.parent;
  const hostOrigin = window.location.origin;
  let context: StandinContext | null = null;
  const itemHandlers: Array<(args: unknown) => void> = [];
  const selectionHandlers: Array<(args: unknown) => void> = [];
  const pending = new Map<
    number,
    (reply: Extract<HostToPane, { type: "sept-standin:reply" }>) => void
  >();
  let nextRequestId = 1;
  let roaming: Record<string, unknown> = {};

  const send = (message: PaneToHost) => host.postMessage(message, hostOrigin);
  const request = (build: (requestId: number) => PaneToHost) =>
    new Promise<Extract<HostToPane, { type: "sept-standin:reply" }>>((resolve) => {
      const requestId = nextRequestId++;
      pending.set(requestId, resolve);
      send(build(requestId));
    });

  /** item.getAsFileAsync: the host page reads the message's EML (base64) for us. */
  const getAsFile = (itemId: string, callback: Callback) => {
    void request((requestId) => ({ type: "sept-standin:getAsFile", requestId, itemId })).then(
      (reply) =>
        callback(
          reply.ok && typeof reply.value === "string"
            ? { status: AsyncResultStatus.Succeeded, value: reply.value }
            : {
                status: AsyncResultStatus.Failed,
                value: undefined,
                // 9002: an internal error while Outlook fetched the item (error-codes page).
                error: { code: 9002, message: reply.error ?? "The item could not be read." },
              },
        ),
    );
  };
  const multiSelectPermitted = () => permissionLevel(context) >= 3;
  const itemOf = (item: StandinItem | null) => toOfficeItem(item, context, getAsFile);

  const mailbox: Record<string, unknown> & {
    item: ReturnType<typeof toOfficeItem>;
    userProfile: { displayName: string; emailAddress: string; timeZone: string };
  } = {
    item: null as ReturnType<typeof toOfficeItem>,
    userProfile: { displayName: "", emailAddress: "", timeZone: "UTC" },
    diagnostics: { hostName: "OutlookWebApp", hostVersion: "16.0.0.0", OWAView: "ThreeColumns" },
    // What Office.js does for v2.0: EWS ids use standard base64, REST ids the URL-safe alphabet.
    convertToRestId: (itemId: string) => itemId.replace(/\//g, "-").replace(/\+/g, "_"),
    convertToEwsId: (itemId: string) => itemId.replace(/-/g, "/").replace(/_/g, "+"),
    addHandlerAsync(eventType: string, handler: (args: unknown) => void, callback?: Callback) {
      if (eventType === EventType.SelectedItemsChanged && !multiSelectPermitted()) {
        // Item multi-select needs read/write mailbox (item-multi-select.md): refused.
        if (callback) {
          setTimeout(
            () =>
              callback({
                status: AsyncResultStatus.Failed,
                value: undefined,
                error: {
                  code: 5009,
                  message: "The add-in does not have permission to call the specific API.",
                },
              }),
            0,
          );
        }
        return;
      }
      if (eventType === EventType.ItemChanged) itemHandlers.push(handler);
      if (eventType === EventType.SelectedItemsChanged) selectionHandlers.push(handler);
      succeed(callback);
    },
    removeHandlerAsync(eventType: string, callback?: Callback) {
      if (eventType === EventType.ItemChanged) itemHandlers.length = 0;
      if (eventType === EventType.SelectedItemsChanged) selectionHandlers.length = 0;
      succeed(callback);
    },
    getSelectedItemsAsync(...args: unknown[]) {
      // Mailbox 1.13, minimum permission read/write mailbox (office.mailbox.yml): Office.js
      // throws for an add-in below it, as ours is (ReadItem).
      if (permissionLevel(context) < 3) throw insufficientPermission("getSelectedItemsAsync");
      const callback = args.find((a): a is Callback => typeof a === "function");
      // Without SupportsMultiSelect Outlook never activates the add-in on several messages.
      const selected = context?.supportsMultiSelect
        ? (context?.selectedItems ?? [])
        : (context?.selectedItems ?? []).slice(-1);
      const items = selected.map((i) => ({
        itemId: i.itemId,
        itemMode: "Read",
        itemType: "Message",
        subject: i.subject,
        internetMessageId: i.internetMessageId,
        conversationId: i.conversationId,
        hasAttachment: i.attachments.some((a) => !a.isInline),
      }));
      succeed(callback, items);
    },
  };

  const roamingSettings = {
    get: (name: string) => roaming[name],
    set: (name: string, value: unknown) => {
      roaming[name] = value;
    },
    remove: (name: string) => {
      delete roaming[name];
    },
    saveAsync(callback?: Callback) {
      void request((requestId) => ({
        type: "sept-standin:saveRoaming",
        requestId,
        settings: roaming,
      })).then((reply) => {
        callback?.(
          reply.ok
            ? { status: AsyncResultStatus.Succeeded, value: undefined }
            : {
                status: AsyncResultStatus.Failed,
                value: undefined,
                error: { code: 9000, message: reply.error ?? "save failed" },
              },
        );
      });
    },
  };

  const officeContext = {
    displayLanguage: "en-US",
    officeTheme: themes.light,
    diagnostics: { host: "Outlook", platform: "OfficeOnline", version: "16.0.0.0" },
    requirements: {
      isSetSupported(name: string, minVersion = "1.1") {
        const supported = context?.requirements[name];
        return supported !== undefined && compareVersions(supported, minVersion) >= 0;
      },
    },
    mailbox,
    roamingSettings,
  };

  let resolveReady: (info: { host: string; platform: string }) => void = () => {};
  const ready = new Promise<{ host: string; platform: string }>(
    (resolve) => (resolveReady = resolve),
  );

  window.addEventListener("message", (event: MessageEvent<HostToPane>) => {
    if (event.origin !== hostOrigin || event.source !== host) return;
    const message = event.data;
    switch (message.type) {
      case "sept-standin:init": {
        context = message.context;
        roaming = { ...message.context.roamingSettings };
        officeContext.displayLanguage = context.displayLanguage;
        officeContext.officeTheme = themes[context.theme];
        mailbox.item = itemOf(context.item);
        mailbox.userProfile = { ...context.userProfile, timeZone: "UTC" };
        // Members of later requirement sets do not exist on an older host's Office.js.
        if (!supports(context, "Mailbox", "1.13")) delete mailbox.getSelectedItemsAsync;
        resolveReady({ host: "Outlook", platform: "OfficeOnline" });
        break;
      }
      case "sept-standin:itemChanged": {
        if (context) context.selectedItems = message.selectedItems;
        const itemChanged = mailbox.item?.itemId !== message.item?.itemId;
        mailbox.item = itemOf(message.item);
        if (itemChanged)
          for (const handler of itemHandlers) handler({ type: EventType.ItemChanged });
        for (const handler of multiSelectPermitted() ? selectionHandlers : []) {
          handler({ type: EventType.SelectedItemsChanged });
        }
        break;
      }
      case "sept-standin:reply": {
        pending.get(message.requestId)?.(message);
        pending.delete(message.requestId);
        break;
      }
    }
  });

  const Office = {
    context: officeContext,
    AsyncResultStatus,
    EventType,
    MailboxEnums: { RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" } },
    HostType: { Outlook: "Outlook" },
    onReady(callback?: (info: { host: string; platform: string }) => void) {
      return ready.then((info) => {
        callback?.(info);
        return info;
      });
    },
  };
  (window as unknown as { Office: typeof Office }).Office = Office;
  if (host === window) {
    // Opened outside the stand-in: behave like Office.js outside Office (host null).
    resolveReady({ host: null as unknown as string, platform: null as unknown as string });
  } else {
    send({ type: "sept-standin:hello" });
  }
}

install();
