import type { Client } from "@microsoft/microsoft-graph-client";
import { DEFAULT_SCOPES, GRAPH_SCOPES, type AuthPort } from "../../core/ports/auth.js";
import { createGraphClient, type GraphClientOptions } from "./graph-client.js";

export interface GraphClients {
  /** Storage and profile: User.Read + Files.ReadWrite.AppFolder. */
  files: Client;
  /** Mailbox reads through Graph: its first request is what asks for Mail.Read. */
  mail: Client;
}

/**
 * Two clients over one token source, so that Mail.Read is requested only by requests that read
 * the mailbox through Graph, never by storage, consent or a save read through Office.js.
 */
export function createGraphClients(
  options: Omit<GraphClientOptions, "scopes"> & {
    auth: AuthPort;
    /**
     * Storage in an admin-chosen SharePoint library: Files.ReadWrite.AppFolder can't reach one, so
     * storage asks for the site permission the admin granted instead (Sites.Selected).
     */
    sharePointStorage?: boolean;
  },
): GraphClients {
  const { sharePointStorage, ...clientOptions } = options;
  const files = sharePointStorage
    ? [GRAPH_SCOPES.profile, GRAPH_SCOPES.sharePointStorage]
    : DEFAULT_SCOPES;
  return {
    files: createGraphClient({ ...clientOptions, scopes: files }),
    mail: createGraphClient({ ...clientOptions, scopes: [...files, GRAPH_SCOPES.mail] }),
  };
}

/**
 * Scopes asked for so far, recorded around an AuthPort (for the pane's "Permissions in use").
 * `auth` must be a plain object (its own properties are copied).
 */
export function recordScopes<T extends AuthPort>(auth: T): T & { scopesAsked(): string[] } {
  const asked = new Set<string>();
  return {
    ...auth,
    getAccessToken: (scopes: readonly string[], options?: { forceRefresh?: boolean }) => {
      for (const scope of scopes) asked.add(scope);
      return auth.getAccessToken(scopes, options);
    },
    scopesAsked: () => [...asked],
  };
}
