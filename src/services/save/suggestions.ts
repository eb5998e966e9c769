// What the save panel shows before a save: where the open message is stored already, and where it
// most likely belongs. Both come from the record shards (no message read): the open message's
// month for the first, the newest months for the second; and the active projects.
import type { MessageSummary } from "../../core/message.js";
import { suggestProject, type Project, type ProjectSuggestion } from "../../core/projects.js";
import { indexEntryFor, isSameMessage, type IndexEntry } from "../../core/stored-email.js";
import type { EmailIndex } from "../storage/email-index.js";

/** One stored copy of the open message. */
export interface SavedCopy {
  projectId: string;
  savedAt: string;
}

export interface SaveAdviceDeps {
  index: Pick<EmailIndex, "inMonth" | "pages">;
  /** The active projects (the pane shares one read with its project list: project-list.ts). */
  activeProjects: () => Promise<Project[]>;
  /** The mailbox owner's address: their own domain says nothing about a project. */
  self: string;
  /** Wraps every read (the pane lets housekeeping wait for the panel's opening reads). */
  track?: <T>(read: Promise<T>) => Promise<T>;
}

export interface SaveAdvice {
  /** Where this message is already stored (from the index, no message read). */
  savedCopies(message: MessageSummary): Promise<SavedCopy[]>;
  suggest(message: MessageSummary): Promise<ProjectSuggestion | null>;
}

const addresses = (list: MessageSummary["to"]) => list.map((a) => a.address);

/** Past saves a suggestion weighs: the newest months' (enough to see where mail goes now). */
const SUGGESTION_SAVES = 500;

async function recentSaves(index: Pick<EmailIndex, "pages">): Promise<IndexEntry[]> {
  const saves: IndexEntry[] = [];
  for await (const page of index.pages()) {
    saves.push(...page.entries);
    if (saves.length >= SUGGESTION_SAVES) break;
  }
  return saves;
}

export function createSaveAdvice(deps: SaveAdviceDeps): SaveAdvice {
  const track = deps.track ?? (<T>(read: Promise<T>) => read);
  return {
    savedCopies: async (message) => {
      if (!message.internetMessageId) return [];
      const { records, legacy } = await track(deps.index.inMonth(message.date || null));
      return [...records.map(indexEntryFor), ...legacy]
        .filter((e) => isSameMessage(e, message))
        .map((e) => ({ projectId: e.projectId, savedAt: e.savedAt }));
    },
    suggest: async (message) => {
      const [entries, projects] = await track(
        Promise.all([recentSaves(deps.index), deps.activeProjects()]),
      );
      // Earlier saves of this very message say nothing new about where it belongs.
      const others = entries.filter((e) => !isSameMessage(e, message));
      return suggestProject(
        others.map((e) => ({
          projectId: e.projectId,
          conversationId: e.conversationId,
          fromAddress: e.from?.address ?? null,
          toAddresses: e.to,
          savedAt: e.savedAt,
        })),
        {
          conversationId: message.conversationId,
          from: message.from?.address ?? null,
          to: addresses(message.to),
          cc: addresses(message.cc),
        },
        projects,
        deps.self,
      );
    },
  };
}
