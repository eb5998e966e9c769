// The Content-Security-Policy of the add-in's pages. One definition, used by the dev server, the
// demo's static server and the hosting documentation, so what is tested is what is deployed.
export interface CspOptions {
  /** Origins the pane may call: Graph, the Microsoft sign-in endpoints, the local fake. */
  connect: string[];
  /** Where Office.js comes from (the Microsoft CDN in production, 'self' in the demo). */
  scripts?: string[];
  /** Who may frame the pane: Outlook's hosts, plus the stand-in page in the demo. */
  frameAncestors?: string[];
}

export const OUTLOOK_FRAME_ANCESTORS = [
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook.cloud.microsoft",
  "https://*.officeapps.live.com",
];

export function contentSecurityPolicy(options: CspOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", ...(options.scripts ?? ["https://appsforoffice.microsoft.com"])],
    // Fluent UI (Griffel) inserts its atomic CSS rules at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    "connect-src": ["'self'", ...options.connect],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'", ...(options.frameAncestors ?? OUTLOOK_FRAME_ANCESTORS)],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/**
 * Graph and Microsoft identity endpoints the production pane talks to, plus SharePoint, where
 * OneDrive's upload-session and download URLs point (messages over 4 MB go up through them).
 */
export function productionConnectSources(graphBaseUrl: string): string[] {
  return [
    new URL(graphBaseUrl).origin,
    "https://login.microsoftonline.com",
    "https://*.sharepoint.com",
  ];
}

/** The local fake: its API origin and the 127.0.0.1 origin of its upload and download URLs. */
export function fakeConnectSources(graphBaseUrl: string): string[] {
  const url = new URL(graphBaseUrl);
  return [url.origin, `https://127.0.0.1:${url.port}`];
}
