// Least privilege: the message open in Outlook is read through Office.js (item properties and
// item.getAsFileAsync, Mailbox 1.14 with ReadItem), so saving it needs no Graph Mail.Read. Any
// other message (the rest of a conversation), or any message on an older host, is read through
// Graph, and only then is Mail.Read asked for.
import { SeptError } from "../../core/errors.js";
import { metadataFromOffice } from "../../core/message-metadata.js";
import type {
  MailSourcePort,
  MessageMetadata,
  MimeReadOptions,
} from "../../core/ports/mail-source.js";
import { canReadEml, readCurrentItem, readOpenItemEml, toRestId } from "./mailbox.js";
import type { OfficeRuntime } from "./runtime.js";

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SeptError("cancelled", { cause: signal.reason });
}

function mimeOptions(options: AbortSignal | MimeReadOptions | undefined): MimeReadOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}

/** Which path read a message: recorded so the pane can say which permission was used. */
export type ReadPath = "office" | "graph";

export interface OfficeMailSourceOptions {
  /** Called with the path each read took (metadata or MIME). */
  onRead?: (path: ReadPath) => void;
}

/**
 * A mail source that answers for the open item from Office.js when the host can (Mailbox 1.14
 * and `getAsFileAsync` present), and hands everything else to `graph`.
 */
export function createOfficeMailSource(
  runtime: OfficeRuntime,
  graph: MailSourcePort,
  options: OfficeMailSourceOptions = {},
): MailSourcePort {
  /** The open item as domain metadata, when `restId` is that item and Office can read it. */
  const openItem = (restId: string): MessageMetadata | null => {
    if (!canReadEml(runtime)) return null;
    const current = readCurrentItem(runtime);
    if (current.status !== "message") return null;
    const { message } = current;
    if (toRestId(runtime, message.itemId) !== restId) return null;
    // The same metadata a save builds from Office (message-metadata.ts); where Office's
    // recipient lists may have been cut, it is still all this host can say without Mail.Read.
    return metadataFromOffice(message, restId);
  };

  return {
    async getMetadata(restId, signal) {
      const local = openItem(restId);
      if (!local) {
        options.onRead?.("graph");
        return graph.getMetadata(restId, signal);
      }
      cancelled(signal);
      options.onRead?.("office");
      return local;
    },

    readsLocally: (restId) => openItem(restId) !== null,

    async getMime(restId, readOptions) {
      const { signal, maxBytes } = mimeOptions(readOptions);
      if (!openItem(restId)) {
        options.onRead?.("graph");
        return graph.getMime(restId, readOptions);
      }
      cancelled(signal);
      options.onRead?.("office");
      const bytes = await readOpenItemEml(runtime);
      cancelled(signal);
      if (maxBytes !== undefined && bytes.byteLength > maxBytes) {
        throw new SeptError("too_large", {
          message: `The message is larger than ${maxBytes} bytes (${bytes.byteLength}).`,
          params: { limitMb: Math.floor(maxBytes / (1024 * 1024)) },
        });
      }
      return bytes;
    },
  };
}
