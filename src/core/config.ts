/** Configuration the pane receives from the build (never secrets: everything here is public). */
export interface AddinConfig {
  addinBaseUrl: string;
  clientId: string;
  tenant: string;
  graphBaseUrl: string;
  privacyPolicyUrl: string;
  privacyPolicyVersion: string;
  authMode: "msal" | "dev";
  addinVersion: string;
}
