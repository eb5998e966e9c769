/** Who is signed in, as far as the pane needs to show it. */
export interface SignedInAccount {
  name: string;
  username: string;
}

/**
 * The auth port: the only way anything gets a Microsoft Graph token. Production wires MSAL
 * (nested app auth, then the Office dialog fallback); the local demo wires a development provider.
 */
export interface AuthPort {
  /** `forceRefresh`: Graph refused the token in hand (401), so a cached one will not do. */
  getAccessToken(scopes: readonly string[], options?: { forceRefresh?: boolean }): Promise<string>;
  /** Forgets every cached token and account (used on consent withdrawal and sign-out). */
  clearCache(): Promise<void>;
  account(): Promise<SignedInAccount | null>;
}

/** Least privilege: the only Graph scopes SEPT asks for by default. */
export const GRAPH_SCOPES = {
  profile: "User.Read",
  mail: "Mail.Read",
  storage: "Files.ReadWrite.AppFolder",
} as const;

/** What the pane asks for by default: sign-in and SEPT's own app folder, no mail at all. */
export const DEFAULT_SCOPES: readonly string[] = [GRAPH_SCOPES.profile, GRAPH_SCOPES.storage];

/**
 * Asked only when Office.js cannot read a message itself (an older Outlook, or another message
 * than the open one: the rest of a conversation, a search). Incremental consent: the first
 * request with it is where the user (or the admin's consent) grants Mail.Read.
 */
export const MAIL_READ_SCOPES: readonly string[] = [...DEFAULT_SCOPES, GRAPH_SCOPES.mail];
