// CORS for the task pane (https://localhost:3000) and the Outlook stand-in: the browser must be
// able to call the fake directly and read the headers the app relies on.
export const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Prefer",
  "If-Match",
  "If-None-Match",
  "client-request-id",
  "SdkVersion",
  "Retry-Attempt",
  "Content-Range",
  "Cache-Control",
  "Accept",
];

export const EXPOSED_HEADERS = [
  "Retry-After",
  "ETag",
  "Location",
  "Preference-Applied",
  "request-id",
  "client-request-id",
];

export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin ?? "*",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS.join(", "),
    Vary: "Origin",
  };
}

export function preflightHeaders(origin: string | undefined): Record<string, string> {
  return {
    ...corsHeaders(origin),
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": ALLOWED_HEADERS.join(", "),
    "Access-Control-Max-Age": "600",
  };
}
