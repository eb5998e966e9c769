// Device-code sign-in with MSAL for Node: the admin (or a test user) signs in on any browser with
// the code printed here, and the check gets a delegated token for exactly the add-in's scopes.
import { PublicClientApplication } from "@azure/msal-node";

/** The delegated scopes the add-in asks for (src/core/ports/auth.ts GRAPH_SCOPES). */
export const TENANT_CHECK_SCOPES = ["User.Read", "Files.ReadWrite.AppFolder", "Mail.Read"];

export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

export interface SignInOptions {
  clientId: string;
  /** Tenant id or domain (e.g. contoso.onmicrosoft.com). */
  tenant: string;
  /** Authority host; another one (a national cloud, a local stand-in) is trusted as given. */
  authority?: string;
  /** Where the "go to … and enter code …" instruction goes. */
  onDeviceCode(message: string): void;
}

export interface SignedIn {
  accessToken: string;
  /** The scopes the token carries, as the token endpoint answered. */
  scopes: string[];
  username: string;
}

export async function signInWithDeviceCode(options: SignInOptions): Promise<SignedIn> {
  const host = (options.authority ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  const authority = `${host}/${encodeURIComponent(options.tenant)}`;
  const custom = new URL(host).hostname !== new URL(DEFAULT_AUTHORITY_HOST).hostname;
  const app = new PublicClientApplication({
    auth: {
      clientId: options.clientId,
      authority,
      // A host MSAL does not know must be named, or it asks Microsoft's instance discovery.
      ...(custom ? { knownAuthorities: [new URL(host).host] } : {}),
    },
  });
  const result = await app.acquireTokenByDeviceCode({
    scopes: TENANT_CHECK_SCOPES,
    deviceCodeCallback: (response) => options.onDeviceCode(response.message),
  });
  if (!result?.accessToken) throw new Error("The sign-in returned no access token.");
  return {
    accessToken: result.accessToken,
    scopes: result.scopes,
    username: result.account?.username ?? "",
  };
}
