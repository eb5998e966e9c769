// The Outlook stand-in: a message list over the Graph fake's sample mailbox, a reading pane with a
// "Save to SEPT" ribbon button, and the real task pane in an iframe, to which this page is the
// Office host (see office-standin.ts). Everything shown from email data goes through textContent.
import type { HostToPane, PaneToHost, StandinContext, StandinItem } from "./protocol.js";
import { ROAMING_STORAGE_KEY } from "./protocol.js";
import type { OfficeItemView } from "../graph-fake/types.js";

declare const __SEPT_DEMO__: { graphFakeUrl: string };

/** A message as the fake's `/_fake/mailbox` shows it: the view Office.js gives in read mode. */
type MailboxEntry = OfficeItemView;

const params = new URLSearchParams(location.search);
const state = {
  messages: [] as MailboxEntry[],
  selected: [] as string[],
  language: params.get("lang") ?? localStorage.getItem("sept-standin:lang") ?? "en-US",
  theme: (params.get("theme") ?? localStorage.getItem("sept-standin:theme") ?? "light") as
    "light" | "dark",
  pinned: params.get("pinned") !== "0",
  host: (params.get("host") === "older" ? "older" : "current") as HostProfile,
  // What the manifest asks for, read from it at start: the stand-in honours it as Outlook does.
  manifest: { permissions: "ReadItem", supportsMultiSelect: false },
};

/**
 * The Outlook the stand-in plays: a current one (Mailbox 1.15: getAsFileAsync) or an older one
 * (Mailbox 1.3, as Outlook 2016 without updates: no getAsFileAsync, no pinning). `?mailbox=`
 * sets the version outright; `?naa=1` adds nested app authentication.
 */
type HostProfile = "current" | "older";
function requirements(): Record<string, string> {
  return {
    Mailbox: params.get("mailbox") ?? (state.host === "older" ? "1.3" : "1.15"),
    ...(params.get("naa") === "1" ? { NestedAppAuth: "1.1" } : {}),
  };
}

/** `<Permissions>` and `<SupportsMultiSelect>` of the manifest the add-in ships. */
async function readManifest(): Promise<void> {
  try {
    const response = await fetch("/manifest.xml");
    if (!response.ok) return;
    const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
    const permissions = xml.getElementsByTagNameNS("*", "Permissions")[0]?.textContent?.trim();
    const multi = [...xml.getElementsByTagNameNS("*", "SupportsMultiSelect")].some(
      (e) => e.textContent?.trim().toLowerCase() === "true",
    );
    state.manifest = { permissions: permissions || "Restricted", supportsMultiSelect: multi };
  } catch {
    // Unreadable: keep the manifest's known values (ReadItem, no multi-select).
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = $<HTMLUListElement>("message-list");
const reading = $<HTMLElement>("reading");
const pane = $<HTMLElement>("pane");
let frame: HTMLIFrameElement | null = null;

const address = (a: { name: string; address: string }) => ({
  displayName: a.name,
  emailAddress: a.address,
});

function toItem(m: MailboxEntry | undefined): StandinItem | null {
  if (!m) return null;
  return {
    itemType: "message",
    // What Outlook reports for protected mail: S/MIME and IRM (rights-managed) message classes.
    itemClass:
      m.itemClass ??
      (m.protection === "irm"
        ? "IPM.Note.rpmsg.Microsoft"
        : m.protection === "smime"
          ? "IPM.Note.SMIME"
          : "IPM.Note"),
    itemId: m.itemId,
    internetMessageId: m.internetMessageId,
    conversationId: m.conversationId,
    subject: m.subject,
    from: address(m.from),
    to: m.to.map(address),
    cc: m.cc.map(address),
    dateTimeCreated: m.dateTimeCreated ?? m.receivedDateTime,
    dateTimeModified: m.dateTimeModified ?? m.receivedDateTime,
    attachments: m.attachments.map((a) => ({ ...a, attachmentType: "file" as const })),
  };
}

const byId = (id: string | undefined) => state.messages.find((m) => m.itemId === id);
const current = () => byId(state.selected[state.selected.length - 1]);
/**
 * The item the add-in sees: with several messages selected, Outlook activates an add-in only
 * if its manifest has SupportsMultiSelect (item-multi-select.md); ours does not, so none.
 */
const paneItem = () =>
  state.selected.length > 1 && !state.manifest.supportsMultiSelect ? null : toItem(current());
const selectedItems = () =>
  state.selected.map((id) => toItem(byId(id))).filter((i): i is StandinItem => !!i);

function readRoaming(): Record<string, unknown> {
  try {
    return JSON.parse(localStorage.getItem(ROAMING_STORAGE_KEY) ?? "{}") as Record<string, unknown>;
  } catch {
    return {};
  }
}

function contextForPane(): StandinContext {
  return {
    displayLanguage: state.language,
    theme: state.theme,
    permissions: state.manifest.permissions,
    supportsMultiSelect: state.manifest.supportsMultiSelect,
    item: paneItem(),
    requirements: requirements(),
    roamingSettings: readRoaming(),
    userProfile: { displayName: "Alex Martin", emailAddress: "alex.martin@contoso-build.example" },
    selectedItems: selectedItems(),
  };
}

function postToPane(message: HostToPane) {
  frame?.contentWindow?.postMessage(message, location.origin);
}

window.addEventListener("message", (event: MessageEvent<PaneToHost>) => {
  if (event.origin !== location.origin || !frame || event.source !== frame.contentWindow) return;
  const message = event.data;
  if (message.type === "sept-standin:hello") {
    postToPane({ type: "sept-standin:init", context: contextForPane() });
  } else if (message.type === "sept-standin:saveRoaming") {
    const json = JSON.stringify(message.settings);
    // Outlook caps roaming settings at 32 KB.
    if (json.length > 32 * 1024) {
      postToPane({
        type: "sept-standin:reply",
        requestId: message.requestId,
        ok: false,
        error: "roaming settings over 32 KB",
      });
      return;
    }
    localStorage.setItem(ROAMING_STORAGE_KEY, json);
    postToPane({ type: "sept-standin:reply", requestId: message.requestId, ok: true });
  } else if (message.type === "sept-standin:getAsFile") {
    // Outlook hands the add-in the open item itself: no Graph request, nothing in its log.
    void fetch(
      `${__SEPT_DEMO__.graphFakeUrl}/_fake/mime?itemId=${encodeURIComponent(message.itemId)}`,
    )
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { base64 } = (await response.json()) as { base64: string };
        postToPane({
          type: "sept-standin:reply",
          requestId: message.requestId,
          ok: true,
          value: base64,
        });
      })
      .catch((error: unknown) =>
        postToPane({
          type: "sept-standin:reply",
          requestId: message.requestId,
          ok: false,
          error: String(error),
        }),
      );
  }
});

function openPane() {
  pane.hidden = false;
  frame?.remove();
  frame = document.createElement("iframe");
  frame.title = "SEPT for Outlook";
  frame.name = "sept-taskpane";
  frame.src = "/taskpane.html";
  pane.appendChild(frame);
}

function renderReading() {
  reading.replaceChildren();
  const m = current();
  if (!m) {
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = "Select a message.";
    reading.appendChild(p);
    return;
  }
  const h = document.createElement("h2");
  h.textContent = m.subject || "(no subject)";
  const headers = document.createElement("div");
  headers.className = "headers";
  headers.textContent = `${m.from.name} <${m.from.address}> · ${new Date(m.receivedDateTime).toLocaleString(state.language)}`;
  const ribbon = document.createElement("div");
  ribbon.className = "ribbon";
  ribbon.setAttribute("role", "toolbar");
  ribbon.setAttribute("aria-label", "Message ribbon");
  const button = document.createElement("button");
  button.id = "ribbon-save-to-sept";
  const icon = document.createElement("img");
  icon.src = "/assets/icon-16.png";
  icon.alt = "";
  button.append(
    icon,
    document.createTextNode(
      state.language.startsWith("fr") ? "Enregistrer dans SEPT" : "Save to SEPT",
    ),
  );
  button.addEventListener("click", openPane);
  ribbon.appendChild(button);
  const preview = document.createElement("div");
  preview.id = "reading-preview";
  preview.textContent = m.bodyPreview;
  reading.append(h, headers, ribbon, preview);
}

function renderList() {
  list.replaceChildren();
  for (const m of state.messages) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.tabIndex = 0;
    li.dataset.itemId = m.itemId;
    li.setAttribute("aria-selected", String(state.selected.includes(m.itemId)));
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.className = "pick";
    pick.checked = state.selected.includes(m.itemId);
    pick.setAttribute("aria-label", `Select ${m.subject}`);
    pick.addEventListener("click", (e) => {
      e.stopPropagation();
      toggle(m.itemId);
    });
    const sender = document.createElement("span");
    sender.className = "sender";
    sender.textContent = m.from.name || m.from.address;
    const subject = document.createElement("span");
    subject.className = "subject";
    subject.textContent = m.subject || "(no subject)";
    if (m.hasAttachments) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = state.language.startsWith("fr") ? "pièce jointe" : "attachment";
      subject.append(" ", badge);
    }
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = new Date(m.receivedDateTime).toLocaleString(state.language);
    li.append(pick, sender, subject, meta);
    li.addEventListener("click", () => select(m.itemId));
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select(m.itemId);
      }
    });
    list.appendChild(li);
  }
}

function selectionChanged() {
  renderList();
  renderReading();
  if (!frame) return;
  if (state.pinned) {
    postToPane({
      type: "sept-standin:itemChanged",
      item: paneItem(),
      selectedItems: selectedItems(),
    });
  } else {
    // An unpinned pane closes when the selection changes, as in Outlook.
    frame.remove();
    frame = null;
    pane.hidden = true;
  }
}

function select(itemId: string) {
  state.selected = [itemId];
  selectionChanged();
}

function toggle(itemId: string) {
  state.selected = state.selected.includes(itemId)
    ? state.selected.filter((id) => id !== itemId)
    : [...state.selected, itemId].slice(-100);
  selectionChanged();
}

function applyAppearance() {
  document.body.classList.toggle("dark", state.theme === "dark");
  document.documentElement.lang = state.language.slice(0, 2);
  localStorage.setItem("sept-standin:lang", state.language);
  localStorage.setItem("sept-standin:theme", state.theme);
}

async function main() {
  const language = $<HTMLSelectElement>("language");
  const theme = $<HTMLSelectElement>("theme");
  const pinned = $<HTMLInputElement>("pinned");
  const hostSelect = $<HTMLSelectElement>("host");
  hostSelect.value = state.host;
  // Outlook on another version is another Outlook: the add-in starts again.
  hostSelect.addEventListener("change", () => {
    state.host = hostSelect.value === "older" ? "older" : "current";
    if (frame) openPane();
  });
  language.value = state.language;
  theme.value = state.theme;
  pinned.checked = state.pinned;
  applyAppearance();
  // Outlook restarts add-ins when the display language or theme changes; so does the stand-in.
  language.addEventListener("change", () => {
    state.language = language.value;
    applyAppearance();
    renderList();
    renderReading();
    if (frame) openPane();
  });
  theme.addEventListener("change", () => {
    state.theme = theme.value as "light" | "dark";
    applyAppearance();
    if (frame) openPane();
  });
  pinned.addEventListener("change", () => (state.pinned = pinned.checked));
  $<HTMLButtonElement>("close-pane").addEventListener("click", () => {
    frame?.remove();
    frame = null;
    pane.hidden = true;
  });

  await readManifest();
  try {
    const response = await fetch(`${__SEPT_DEMO__.graphFakeUrl}/_fake/mailbox`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state.messages = ((await response.json()) as MailboxEntry[]).sort((a, b) =>
      b.receivedDateTime.localeCompare(a.receivedDateTime),
    );
  } catch (error) {
    reading.replaceChildren();
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = `The Graph fake at ${__SEPT_DEMO__.graphFakeUrl} did not answer (${String(error)}). Is npm start running?`;
    reading.appendChild(p);
    return;
  }
  const first = state.messages[0];
  if (first) state.selected = [first.itemId];
  renderList();
  renderReading();
  if (params.get("pane") === "open") openPane();
  document.body.dataset.ready = "true";
}

void main();
