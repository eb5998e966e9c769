// The tenant check's probes: each Microsoft Graph behaviour SEPT for Outlook relies on, tried in
// the signed-in user's own app folder and mailbox, with the Graph JS client as the add-in uses it.
// Everything written goes into one folder named from the run's id, removed at the end.
import { randomBytes } from "node:crypto";
import { ResponseType, type Client } from "@microsoft/microsoft-graph-client";
import { createGraphClient } from "../../src/adapters/graph/graph-client.js";
import { TENANT_CHECK_SCOPES } from "./sign-in.js";

export type Outcome = "pass" | "fallback" | "fail" | "skipped";

export interface ProbeResult {
  check: string;
  outcome: Outcome;
  /** What happened, without any mail content. */
  detail: string;
  /** For fail and fallback: the setting or permission to change, or what it means. */
  fix?: string;
}

export interface ProbeOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  accessToken: string;
  /** Scopes the token was issued for. */
  grantedScopes: string[];
  /** Names the run's folder in the app folder (default: time and random). */
  runId?: string;
  /** Bytes sent through the upload session (default 400 KiB: one 320 KiB fragment and a rest). */
  uploadBytes?: number;
}

const ROOT = "/me/drive/special/approot";
const FRAGMENT = 327_680;
const RECYCLE_BIN =
  "Deleted emails then go to the user's OneDrive recycle bin: restorable, still counting against " +
  "their storage, until the bin is emptied or its retention ends (93 days by default). The add-in " +
  "says so in the pane when it happens.";

interface GraphFailure {
  status: number;
  code: string;
}

/** Status and code of whatever the Graph client or fetch threw. */
function failureOf(error: unknown): GraphFailure {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  return {
    status: typeof e?.statusCode === "number" ? e.statusCode : 0,
    code: typeof e?.code === "string" ? e.code : String(e?.message ?? error),
  };
}

function described(f: GraphFailure): string {
  return f.status ? `${f.status} ${f.code}` : f.code;
}

/** The fix for a failure any probe may meet: the token, a missing grant, throttling. */
function commonFix(f: GraphFailure, scope: string): string | undefined {
  if (f.status === 401) {
    return "Graph refused the token: check --tenant and --client-id, and that the app registration is in this tenant.";
  }
  if (f.status === 403) {
    return `Grant the delegated permission ${scope} to the app and grant admin consent (Entra admin center → App registrations → the app → API permissions).`;
  }
  if (f.status === 429 || f.status === 503)
    return "Graph is throttling this user: run the check again in a few minutes.";
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function runProbes(options: ProbeOptions): Promise<ProbeResult[]> {
  const client: Client = createGraphClient({
    graphBaseUrl: options.graphBaseUrl,
    auth: {
      getAccessToken: async () => options.accessToken,
      clearCache: async () => undefined,
      account: async () => null,
    },
    scopes: TENANT_CHECK_SCOPES,
    retry: { delaySeconds: 2, maxRetries: 2 },
  });
  const runId = options.runId ?? `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  const folder = `tenant-check-${runId}`;
  const at = (path: string, action?: string) =>
    `${ROOT}:/${folder}${path ? `/${path}` : ""}${action ? `:/${action}` : ""}`;
  const results: ProbeResult[] = [];
  const record = (r: ProbeResult) => {
    results.push(r);
    return r;
  };

  // 0. The token carries the add-in's scopes.
  const missing = TENANT_CHECK_SCOPES.filter(
    (s) => !options.grantedScopes.some((g) => g.toLowerCase() === s.toLowerCase()),
  );
  record(
    missing.length === 0
      ? {
          check: "Permissions in the token",
          outcome: "pass",
          detail: TENANT_CHECK_SCOPES.join(", "),
        }
      : {
          check: "Permissions in the token",
          outcome: "fail",
          detail: `missing ${missing.join(", ")}`,
          fix: `Add the delegated permission(s) ${missing.join(", ")} to the app registration and grant admin consent.`,
        },
  );

  // 1. The app folder.
  const appFolder = await client
    .api(ROOT)
    .get()
    .then(
      (item: unknown) => ({ ok: true as const, item }),
      (error: unknown) => ({ ok: false as const, failure: failureOf(error) }),
    );
  if (appFolder.ok) {
    const name = isRecord(appFolder.item) ? String(appFolder.item.name ?? "") : "";
    record({ check: "App folder reachable", outcome: "pass", detail: `Apps/${name}` });
  } else {
    const f = appFolder.failure;
    const noOneDrive = f.status === 404;
    record({
      check: "App folder reachable",
      outcome: "fail",
      detail: noOneDrive ? `${described(f)}: the user has no OneDrive yet` : described(f),
      fix: noOneDrive
        ? "Give the user a OneDrive (a SharePoint Online licence) and let it be provisioned: the user opens OneDrive once, or an admin pre-provisions it (Request-SPOPersonalSite)."
        : f.status === 403
          ? "Graph refuses the app folder. Check that Files.ReadWrite.AppFolder is granted with admin consent; if it is, the tenant refuses app folders to this account: use the SharePoint storage option of the org policy (docs/admin/org-policy.md)."
          : (commonFix(f, "Files.ReadWrite.AppFolder") ?? "See docs/admin/troubleshooting.md."),
    });
    for (const check of [
      "Write, then read back through the download URL",
      "Upload session (320 KiB fragments)",
      "$batch JSON write",
      "Permanent delete",
    ]) {
      record({ check, outcome: "skipped", detail: "needs the app folder" });
    }
  }

  let probeFileId: string | null = null;
  if (appFolder.ok) {
    // 2. A small file, written and read back through its pre-authenticated download URL.
    const text = JSON.stringify({ tenantCheck: runId, nonce: randomBytes(8).toString("hex") });
    try {
      await client
        .api(at("probe.json", "content"))
        .query({ "@microsoft.graph.conflictBehavior": "replace" })
        .header("Content-Type", "application/json")
        .put(text);
      const item: unknown = await client.api(at("probe.json")).get();
      probeFileId = isRecord(item) && typeof item.id === "string" ? item.id : null;
      const url = isRecord(item) ? item["@microsoft.graph.downloadUrl"] : undefined;
      if (typeof url !== "string") {
        record({
          check: "Write, then read back through the download URL",
          outcome: "fail",
          detail: "the item came back without @microsoft.graph.downloadUrl",
          fix: "The add-in reads its files through this URL; report this tenant's behaviour to SEPT support.",
        });
      } else {
        const response = await fetch(url, { credentials: "omit" });
        const back = await response.text();
        record(
          response.ok && back === text
            ? {
                check: "Write, then read back through the download URL",
                outcome: "pass",
                detail: `${text.length} bytes, identical`,
              }
            : {
                check: "Write, then read back through the download URL",
                outcome: "fail",
                detail: response.ok
                  ? "the bytes read back differ"
                  : `download answered ${response.status}`,
                fix: "A proxy or filter may rewrite or block downloads from the OneDrive/SharePoint host: allow *.sharepoint.com for the add-in.",
              },
        );
      }
    } catch (error) {
      const f = failureOf(error);
      record({
        check: "Write, then read back through the download URL",
        outcome: "fail",
        detail: described(f),
        fix:
          f.status === 507
            ? "The user's OneDrive is full: free space or raise the storage quota."
            : (commonFix(f, "Files.ReadWrite.AppFolder") ?? "See docs/admin/troubleshooting.md."),
      });
    }

    // 3. An upload session, in fragments that are multiples of 320 KiB as Microsoft requires.
    const size = options.uploadBytes ?? 400 * 1024;
    const bytes = randomBytes(size);
    let uploadUrl: string | null = null;
    try {
      const session: unknown = await client
        .api(at("upload.bin", "createUploadSession"))
        .post({ item: { "@microsoft.graph.conflictBehavior": "replace" } });
      uploadUrl =
        isRecord(session) && typeof session.uploadUrl === "string" ? session.uploadUrl : null;
      if (!uploadUrl)
        throw Object.assign(new Error("no uploadUrl in the answer"), { statusCode: 0 });
      let last: unknown = null;
      let fragments = 0;
      for (let offset = 0; offset < size; offset += FRAGMENT) {
        const end = Math.min(offset + FRAGMENT, size);
        // No Authorization: the URL carries its own credential (a bearer token may be refused).
        const response = await fetch(uploadUrl, {
          method: "PUT",
          headers: { "Content-Range": `bytes ${offset}-${end - 1}/${size}` },
          body: bytes.subarray(offset, end),
          credentials: "omit",
        });
        fragments += 1;
        if (!response.ok) {
          throw Object.assign(new Error(`fragment ${fragments} answered ${response.status}`), {
            statusCode: response.status,
            code: `fragment ${fragments} refused`,
          });
        }
        last = await response.json();
      }
      uploadUrl = null;
      const stored = isRecord(last) ? last.size : undefined;
      record(
        stored === size
          ? {
              check: "Upload session (320 KiB fragments)",
              outcome: "pass",
              detail: `${size} bytes in ${fragments} fragments`,
            }
          : {
              check: "Upload session (320 KiB fragments)",
              outcome: "fail",
              detail: `the finished item reports ${String(stored)} bytes, not ${size}`,
              fix: "Report this tenant's behaviour to SEPT support.",
            },
      );
    } catch (error) {
      const f = failureOf(error);
      record({
        check: "Upload session (320 KiB fragments)",
        outcome: "fail",
        detail: described(f),
        fix:
          commonFix(f, "Files.ReadWrite.AppFolder") ??
          "Large emails (over 4 MB) cannot be saved: allow uploads to *.sharepoint.com, or report this to SEPT support.",
      });
      if (uploadUrl)
        await fetch(uploadUrl, { method: "DELETE", credentials: "omit" }).catch(() => undefined);
    }

    // 4. $batch with the JSON writes the add-in sends there (a folder created, then renamed).
    try {
      const json = { "Content-Type": "application/json" };
      const answer: unknown = await client.api("/$batch").post({
        requests: [
          {
            id: "1",
            method: "POST",
            url: at("", "children"),
            headers: json,
            body: { name: "batch", folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
          },
          {
            id: "2",
            dependsOn: ["1"],
            method: "PATCH",
            url: at("batch"),
            headers: json,
            body: { name: "batch-renamed" },
          },
        ],
      });
      const responses = isRecord(answer) && Array.isArray(answer.responses) ? answer.responses : [];
      const statuses = ["1", "2"].map((id) => {
        const r = responses.find((x: unknown) => isRecord(x) && x.id === id) as
          Record<string, unknown> | undefined;
        return typeof r?.status === "number" ? r.status : 0;
      });
      const ok = statuses.every((s) => s >= 200 && s < 300);
      record(
        ok
          ? {
              check: "$batch JSON write",
              outcome: "pass",
              detail: `POST ${statuses[0]}, PATCH ${statuses[1]}`,
            }
          : {
              check: "$batch JSON write",
              outcome: "fail",
              detail: `inner answers: POST ${statuses[0]}, PATCH ${statuses[1]}`,
              fix: "Report this tenant's $batch behaviour to SEPT support; bulk changes would be slow or fail.",
            },
      );
    } catch (error) {
      const f = failureOf(error);
      record({
        check: "$batch JSON write",
        outcome: "fail",
        detail: described(f),
        fix:
          commonFix(f, "Files.ReadWrite.AppFolder") ??
          "A proxy may block POST /$batch to graph.microsoft.com.",
      });
    }

    // 5. permanentDelete on the small file; where refused, DELETE and say what that means.
    if (!probeFileId) {
      record({ check: "Permanent delete", outcome: "skipped", detail: "needs the written file" });
    } else {
      try {
        await client
          .api(`/me/drive/items/${encodeURIComponent(probeFileId)}/permanentDelete`)
          .post(undefined);
        record({ check: "Permanent delete", outcome: "pass", detail: "the file is gone for good" });
      } catch (error) {
        const f = failureOf(error);
        const fallback = await client
          .api(`/me/drive/items/${encodeURIComponent(probeFileId)}`)
          .delete()
          .then(
            () => true,
            () => false,
          );
        record({
          check: "Permanent delete",
          outcome: fallback ? "fallback" : "fail",
          detail: fallback
            ? `refused (${described(f)}); falls back to the recycle bin`
            : `refused (${described(f)}), and DELETE failed too`,
          fix: fallback
            ? RECYCLE_BIN
            : (commonFix(f, "Files.ReadWrite.AppFolder") ?? "See docs/admin/troubleshooting.md."),
        });
      }
    }
  }

  // 6. One message: the newest message's id, then its MIME (never shown).
  try {
    const page: unknown = await client.api("/me/messages").select("id").top(1).get();
    const first = isRecord(page) && Array.isArray(page.value) ? page.value[0] : undefined;
    const id = isRecord(first) && typeof first.id === "string" ? first.id : null;
    if (!id) {
      record({
        check: "Read one message",
        outcome: "skipped",
        detail: "the mailbox has no message",
      });
    } else {
      const response = (await client
        .api(`/me/messages/${encodeURIComponent(id)}/$value`)
        .responseType(ResponseType.RAW)
        .get()) as Response;
      const length = response.ok ? (await response.arrayBuffer()).byteLength : 0;
      record(
        length > 0
          ? {
              check: "Read one message",
              outcome: "pass",
              detail: `${length} bytes of MIME (not shown)`,
            }
          : {
              check: "Read one message",
              outcome: "fail",
              detail: `$value answered ${response.status}`,
              fix: "Grant the delegated permission Mail.Read with admin consent.",
            },
      );
    }
  } catch (error) {
    const f = failureOf(error);
    record({
      check: "Read one message",
      outcome: "fail",
      detail: described(f),
      fix: commonFix(f, "Mail.Read") ?? "See docs/admin/troubleshooting.md.",
    });
  }

  // 7. Clean up: the run's folder, for good where Graph allows it.
  if (appFolder.ok) results.push(await cleanUp(client, at(""), folder));
  return results;
}

async function cleanUp(client: Client, path: string, folder: string): Promise<ProbeResult> {
  const check = "Clean up";
  let id: string | null = null;
  try {
    const item: unknown = await client.api(path).select("id").get();
    id = isRecord(item) && typeof item.id === "string" ? item.id : null;
  } catch (error) {
    if (failureOf(error).status === 404)
      return { check, outcome: "pass", detail: "nothing was left" };
  }
  if (id) {
    try {
      await client.api(`/me/drive/items/${encodeURIComponent(id)}/permanentDelete`).post(undefined);
      return { check, outcome: "pass", detail: `Apps/…/${folder} deleted for good` };
    } catch {
      // Refused: the recycle bin it is.
    }
  }
  try {
    await client.api(path).delete();
    return {
      check,
      outcome: "fallback",
      detail: `Apps/…/${folder} moved to the recycle bin`,
      fix: "Empty it from the user's OneDrive recycle bin if you want it gone now.",
    };
  } catch (error) {
    return {
      check,
      outcome: "fail",
      detail: `could not delete Apps/…/${folder} (${described(failureOf(error))})`,
      fix: "Delete that folder from the user's OneDrive (Apps folder) by hand.",
    };
  }
}
