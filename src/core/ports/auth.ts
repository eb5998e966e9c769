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
  /**
   * Only when the org policy stores data in a SharePoint library: Files.ReadWrite.AppFolder can't
   * reach one, so the admin grants the app the library's site (Sites.Selected plus a site
   * permission). Never requested otherwise.
   */
  sharePointStorage: "Sites.Selected",
} as const;

/**
 * Every Graph scope SEPT may ever ask for (the allow-list): a sign-in request for anything else,
 * say from a crafted link to the sign-in page, is not passed on to Entra.
 */
export const ALLOWED_SCOPES: readonly string[] = Object.values(GRAPH_SCOPES);

const GRAPH_RESOURCE = "https://graph.microsoft.com/";

/**
 * The requested scopes that are on the allow-list, in SEPT's spelling and without repeats
 * (Graph's resource prefix is accepted, any other resource is not). Never empty: with nothing
 * allowed left, it asks for the profile only, which signs in and grants no data.
 */
export function allowedScopes(requested: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of requested) {
    const scope = raw.toLowerCase().startsWith(GRAPH_RESOURCE)
      ? raw.slice(GRAPH_RESOURCE.length)
      : raw;
    const known = ALLOWED_SCOPES.find((s) => s.toLowerCase() === scope.toLowerCase());
    if (known) out.add(known);
  }
  return out.size ? [...out] : [GRAPH_SCOPES.profile];
}
/** What the pane asks for by default: sign-in and SEPT's own app folder, no mail at all. */
export const DEFAULT_SCOPES: readonly string[] = [GRAPH_SCOPES.profile, GRAPH_SCOPES.storage];
