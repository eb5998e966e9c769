// Starts the fetch of the admin's org-policy.json as soon as taskpane.html's head is read, from a
// tiny script of its own (`async`, see webpack.config.ts), so the request is under way long before
// the pane's main script has been compiled and run. The pane's first Graph read (the consent
// ledger, whose place the policy names) waits for the policy; this way it waits for no round trip
// of its own. index.tsx takes the response from here, or fetches the file itself when it runs first.
import { config } from "./config.js";

declare global {
  interface Window {
    /** The org-policy.json response, once requested (by this script or by index.tsx). */
    septOrgPolicy?: Promise<Response>;
  }
}

/** The one request for org-policy.json of this page: started here or by whichever script runs first. */
export function startOrgPolicyFetch(): Promise<Response> {
  window.septOrgPolicy ??= fetch(`${config.addinBaseUrl}/org-policy.json`, {
    // An admin's edit applies the next time the pane opens.
    cache: "no-store",
    credentials: "same-origin",
  });
  // Handed once to the org-policy service, whose "unreachable" case a rejection is; never an error.
  window.septOrgPolicy.catch(() => undefined);
  return window.septOrgPolicy;
}

startOrgPolicyFetch();
