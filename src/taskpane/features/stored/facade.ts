import type { RetentionBounds, RetentionSetting } from "../../../core/retention.js";
import type { MyRights } from "../../../services/rights/my-rights.js";
import type { StoredEmail } from "../../../services/rights/stored-emails.js";
import type { ProjectOption } from "../../shared/projects.js";

export type { RetentionBounds, RetentionSetting, StoredEmail };

/**
 * Stored emails page by page, newest save first: the view shows the first page's rows as soon as
 * it arrives and appends each later page without holding up input. A storage layout kept in
 * shards gives one page per shard it reads; without `pages`, the view reads `list()` as one page
 * (`storedPages` below).
 */
export interface StoredPages {
  /** Each page once, newest saves first; stops early when `signal` aborts. */
  pages(signal?: AbortSignal): AsyncIterable<StoredEmail[]>;
}

/** The user's rights over stored emails (privacy policy §5, §7); services/rights/ implements it. */
export type StoredFacade = MyRights & Partial<StoredPages>;

/** The pages the view reads: the facade's own, or today's whole list as one page. */
export function storedPages(
  stored: StoredFacade,
  signal?: AbortSignal,
): AsyncIterable<StoredEmail[]> {
  if (stored.pages) return stored.pages(signal);
  return (async function* onePage() {
    yield await stored.list();
  })();
}

/** The catalogue as the Stored view reads it: every project, for names and the filter. */
export interface StoredProjects {
  all(): Promise<Array<ProjectOption & { archived: boolean }>>;
}
