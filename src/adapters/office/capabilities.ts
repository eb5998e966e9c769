import type { OfficeRuntime } from "./runtime.js";

export interface Requirement {
  set: string;
  version: string;
}

/** Whether the host offers an API, as a value to branch on rather than an `undefined` check. */
export type Capability<T = undefined> =
  | { status: "available"; api: T }
  | { status: "unavailable"; reason: "requirement_missing"; requirement: Requirement };

/** The requirement sets SEPT's features depend on. */
export const REQUIREMENTS = {
  /** convertToRestId, item ids usable with REST/Graph. */
  restIds: { set: "Mailbox", version: "1.3" },
  /** ItemChanged for a pinned task pane. */
  pinning: { set: "Mailbox", version: "1.5" },
  /**
   * item.getAsFileAsync (read mode, ReadItem): the open message's EML without Graph Mail.Read.
   * Outlook's multi-select (Mailbox 1.13) is not used: it needs ReadWriteMailbox.
   */
  emlFile: { set: "Mailbox", version: "1.14" },
  /** Nested app authentication for MSAL. */
  nestedAppAuth: { set: "NestedAppAuth", version: "1.1" },
} as const satisfies Record<string, Requirement>;

export function capability<T>(
  runtime: Pick<OfficeRuntime, "context">,
  requirement: Requirement,
  api: () => T,
): Capability<T> {
  let supported = false;
  try {
    supported = runtime.context.requirements.isSetSupported(requirement.set, requirement.version);
  } catch {
    supported = false;
  }
  return supported
    ? { status: "available", api: api() }
    : { status: "unavailable", reason: "requirement_missing", requirement };
}

export function requirementMet(
  runtime: Pick<OfficeRuntime, "context">,
  requirement: Requirement,
): boolean {
  return capability(runtime, requirement, () => undefined).status === "available";
}
