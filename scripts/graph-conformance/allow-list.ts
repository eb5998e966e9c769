// What Graph's CSDL cannot say about a request, and the Microsoft document that shows it instead.
// Each entry is used by the resolver by its id; a request that needs something not listed here
// does not conform. Paths name files in the public documentation repositories
// OneDrive/onedrive-api-docs (OD) and microsoftgraph/microsoft-graph-docs-contrib (G).

export interface AllowListEntry {
  id: string;
  /** What the entry allows, in a line. */
  allows: string;
  /** Repository and path of the Microsoft document that shows it. */
  source: string;
}

export const ALLOW_LIST = {
  pathAddressing: {
    id: "path-addressing",
    allows:
      "a driveItem addressed by path below another one: `{item}:/{path}` and `{item}:/{path}:/{segment}`",
    source: "OneDrive/onedrive-api-docs docs/rest-api/concepts/addressing-driveitems.md",
  },
  messageMime: {
    id: "message-mime",
    allows:
      "`GET /me/messages/{id}/$value`: the message's MIME (EML), though message has no HasStream",
    source: "microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/message-get.md",
  },
  putContent: {
    id: "put-content",
    allows: "`PUT {driveItem}/content` (and by path): upload a file's bytes to the content stream",
    source: "OneDrive/onedrive-api-docs docs/rest-api/api/driveitem_put_content.md",
  },
  conflictBehavior: {
    id: "conflict-behavior",
    allows:
      "`@microsoft.graph.conflictBehavior` as a query parameter of a content upload (fail, replace, rename)",
    source: "OneDrive/onedrive-api-docs docs/rest-api/api/driveitem_put_content.md",
  },
  corsDownloadUrl: {
    id: "cors-download-url",
    allows:
      "`select=…,@microsoft.graph.downloadUrl` (without `$`) on a driveItem GET, as the CORS guide reads it",
    source: "OneDrive/onedrive-api-docs docs/rest-api/concepts/working-with-cors.md",
  },
  uploadUrl: {
    id: "upload-url",
    allows:
      "the pre-authenticated `uploadUrl` of an upload session: PUT fragments, GET its status, DELETE to cancel",
    source: "OneDrive/onedrive-api-docs docs/rest-api/api/driveitem_createuploadsession.md",
  },
  downloadUrl: {
    id: "download-url",
    allows: "GET of the pre-authenticated `@microsoft.graph.downloadUrl` a driveItem carries",
    source: "OneDrive/onedrive-api-docs docs/rest-api/concepts/working-with-cors.md",
  },
  jsonBatch: {
    id: "json-batch",
    allows:
      "`POST /$batch` of up to 20 requests; each inner request is checked like any other; no file content inside (no document shows it)",
    source: "microsoftgraph/microsoft-graph-docs-contrib concepts/json-batching.md",
  },
} as const satisfies Record<string, AllowListEntry>;

export type AllowListId = (typeof ALLOW_LIST)[keyof typeof ALLOW_LIST]["id"];

export function allowListEntry(id: string): AllowListEntry | undefined {
  return Object.values(ALLOW_LIST).find((e) => e.id === id);
}
