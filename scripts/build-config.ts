// Build-time configuration, read once from the environment. Defaults run the local demo.
export interface BuildConfig {
  /** Where the add-in's pages are hosted; every manifest URL is rewritten onto it. */
  addinBaseUrl: string;
  /** Entra ID (Azure AD) application (client) id: MSAL's clientId. */
  clientId: string;
  /** Tenant for MSAL's authority: a tenant id, "organizations" or "common". */
  tenant: string;
  /** Microsoft Graph base URL, e.g. https://graph.microsoft.com/v1.0. */
  graphBaseUrl: string;
  privacyPolicyUrl: string;
  privacyPolicyVersion: string;
  /** "msal" in production; "dev" uses the development token provider accepted by the Graph fake. */
  authMode: "msal" | "dev";
}

/** The development-only client id: it is not registered anywhere and works only against the fake. */
export const DEV_CLIENT_ID = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";
export const LOCAL_BASE_URL = "https://localhost:3000";
export const LOCAL_GRAPH_URL = "https://localhost:3001/v1.0";

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

export function readBuildConfig(
  env: Record<string, string | undefined> = process.env,
  demo = false,
): BuildConfig {
  const addinBaseUrl = stripSlash(env.ADDIN_BASE_URL ?? LOCAL_BASE_URL);
  if (!/^https:\/\//.test(addinBaseUrl)) {
    throw new Error(`ADDIN_BASE_URL must be an https:// URL, got "${addinBaseUrl}"`);
  }
  const clientId = env.SEPT_CLIENT_ID ?? DEV_CLIENT_ID;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) {
    throw new Error(`SEPT_CLIENT_ID must be a GUID, got "${clientId}"`);
  }
  return {
    addinBaseUrl,
    clientId,
    tenant: env.SEPT_TENANT ?? "organizations",
    graphBaseUrl: stripSlash(
      env.GRAPH_BASE_URL ?? (demo ? LOCAL_GRAPH_URL : "https://graph.microsoft.com/v1.0"),
    ),
    privacyPolicyUrl: env.PRIVACY_POLICY_URL ?? "https://septsoftware.com/privacy-policy",
    privacyPolicyVersion: env.PRIVACY_POLICY_VERSION ?? "2024-02-14",
    authMode: demo ? "dev" : "msal",
  };
}

/**
 * The manifest Version for a package version: "1.4.2" → "1.4.2.0". Outlook and the admin center
 * offer an update only when this number grows, so it follows package.json on every build.
 * Pre-release and build suffixes ("-beta.1", "+sha") are dropped: the manifest allows digits only.
 */
export function manifestVersion(packageVersion: string): string {
  const match = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})(?:[-+].*)?$/.exec(packageVersion.trim());
  if (!match) {
    throw new Error(`package.json version must look like 1.2.3, got "${packageVersion}"`);
  }
  return `${match[1]}.${match[2]}.${match[3]}.0`;
}

/** Where the pane reads the organisation's policy: a static file beside the add-in's pages. */
export function orgPolicyUrl(addinBaseUrl: string): string {
  return `${addinBaseUrl.replace(/\/+$/, "")}/org-policy.json`;
}
