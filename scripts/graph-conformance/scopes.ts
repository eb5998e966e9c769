// Which permission each request shape needs, and why SEPT makes it: the source of the
// "permission" and "why" columns of docs/graph-requests.md. First matching rule wins. A shape
// that no rule matches fails the conformance check, so the document never has a blank row.
// Sources: each API's permissions table in microsoftgraph/microsoft-graph-docs-contrib
// api-reference/v1.0/api/ (e.g. user-translateexchangeids.md lists User.Read;
// driveitem-permanentdelete.md lists Files.ReadWrite first).

export interface ScopeRule {
  /** Matched against `METHOD /template` (query shape left out). */
  match: RegExp;
  scope: string;
  why: string;
}

const APP_FOLDER = "Files.ReadWrite.AppFolder";
const ITEM = String.raw`(?::/\{path\}:?)?`;

export const SCOPE_RULES: ScopeRule[] = [
  {
    match: /^POST \/\$batch$/,
    scope: "none of its own",
    why: "Carries up to 20 of the JSON writes, deletes and file-metadata reads listed here in one request; each inner request needs its own permission.",
  },
  {
    match: /^(PUT|GET|DELETE) \{uploadUrl\}$/,
    scope: "none (pre-authenticated URL, no token sent)",
    why: "Sends a large saved email in 320 KiB-multiple fragments, asks where to resume, or cancels the upload.",
  },
  {
    match: /^GET \{downloadUrl\}$/,
    scope: "none (pre-authenticated URL, no token sent)",
    why: "Reads a file's bytes from the download URL Graph gave, as Microsoft's CORS guide shows.",
  },
  {
    match: /^GET \/groups\/\{id\}\/members$/,
    scope: "GroupMember.Read.All (application, tenant job only)",
    why: "The tenant job lists the members of the group the add-in is deployed to, page by page, to visit each user (not needed when the admin gives an explicit list).",
  },
  {
    match: /^GET \/me$/,
    scope: "User.Read",
    why: "Who is signed in.",
  },
  {
    match: /^POST \/me\/translateExchangeIds$/,
    scope: "User.Read",
    why: "Turns the id Outlook gives for the open message into Graph's immutable id, so a saved email stays linked to its message.",
  },
  {
    match: /^GET \/me\/messages\/\{id\}\/\$value$/,
    scope: "Mail.Read",
    why: "The original message (.eml) the user chose to save with its content, when Outlook cannot hand it over itself.",
  },
  {
    match: /^GET \/me\/messages\/\{id\}\/attachments/,
    scope: "Mail.Read",
    why: "The attachment list of the message the user saves.",
  },
  {
    match: /^GET \/me\/messages\/\{id\}$/,
    scope: "Mail.Read",
    why: "Details of the message the user saves (ids, subject, sender, recipients, dates), when Outlook cannot give them.",
  },
  {
    match: /^GET \/me\/messages$/,
    scope: "Mail.Read",
    why: "Other messages of the open message's conversation, offered to save together.",
  },
  {
    match: new RegExp(
      String.raw`^POST /(me/drive|drives/\{id\})(/items/\{id\}|/special/approot${ITEM})/permanentDelete$`,
    ),
    scope: APP_FOLDER,
    why: "Deletes a file of SEPT's for good (not to the recycle bin) when the user deletes an email, purges or deletes all. Graph's page lists Files.ReadWrite as the least privilege, so a tenant may refuse it to the app-folder permission; SEPT then deletes to the recycle bin and says so (the tenant check shows which).",
  },
  {
    match: new RegExp(String.raw`^PUT /(me/drive|drives/\{id\})/special/approot${ITEM}/content$`),
    scope: APP_FOLDER,
    why: "Writes a file in SEPT's folder: the consent ledger, activity log, index, settings, projects, or a saved email of 4 MB or less.",
  },
  {
    match: new RegExp(
      String.raw`^POST /(me/drive|drives/\{id\})/special/approot${ITEM}/createUploadSession$`,
    ),
    scope: APP_FOLDER,
    why: "Starts the upload of a saved email above 4 MB.",
  },
  {
    match: new RegExp(String.raw`^GET /(me/drive|drives/\{id\})/special/approot${ITEM}/children$`),
    scope: APP_FOLDER,
    why: "Lists a folder of SEPT's (stored emails, index shards, activity).",
  },
  {
    match: new RegExp(String.raw`^GET /(me/drive|drives/\{id\})/special/approot${ITEM}/versions$`),
    scope: APP_FOLDER,
    why: "Lists a file's versions, to remove old versions that still name deleted emails.",
  },
  {
    match: new RegExp(String.raw`^GET /(me/drive|drives/\{id\})/special/approot${ITEM}$`),
    scope: APP_FOLDER,
    why: "Reads a file's metadata (and its download URL), or checks that SEPT's folder is there.",
  },
  {
    match: new RegExp(String.raw`^DELETE /(me/drive|drives/\{id\})/special/approot${ITEM}$`),
    scope: APP_FOLDER,
    why: "Deletes a file of SEPT's; Graph moves it to the user's recycle bin (used where permanent deletion is refused).",
  },
  {
    match: new RegExp(
      String.raw`^(PATCH|POST) /(me/drive|drives/\{id\})/special/approot${ITEM}(/children)?$`,
    ),
    scope: APP_FOLDER,
    why: "Creates or updates a folder or file's metadata in SEPT's folder.",
  },
  {
    match:
      /^(GET|POST|DELETE) \/(me\/drive|drives\/\{id\})\/items\/\{id\}(\/versions(\/\{id\})?)?$/,
    scope: APP_FOLDER,
    why: "Reads, deletes or lists versions of a file of SEPT's by its id.",
  },
  {
    match: /^\w+ \/users\/\{id\}\//,
    scope: "application permission of the tenant job",
    why: "The headless tenant job acting on one user's SEPT folder or mailbox (retention, privacy-office requests), app-only.",
  },
];

export function scopeOf(methodAndTemplate: string): ScopeRule | undefined {
  return SCOPE_RULES.find((r) => r.match.test(methodAndTemplate));
}
