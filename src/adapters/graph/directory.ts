// Who the tenant job visits: the direct user members of the group the add-in is deployed to.
// `GET /groups/{id}/members` (application permission GroupMember.Read.All), paged by Graph's
// nextLink. Centralized Deployment reaches the users of the assigned group itself, not of groups
// nested in it, so direct members are the add-in's users.
import type { Client } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../core/errors.js";
import { graphCall } from "./graph-call.js";
import type { RequestLimiter } from "./request-limiter.js";

/** A user as the job addresses them: the stable object id (and the sign-in name, when known). */
export interface DirectoryUser {
  id: string;
  userPrincipalName?: string;
}

/** The largest page Graph serves for directory collections. */
const PAGE_SIZE = 999;
const GROUP_ID = /^[A-Za-z0-9-]{1,64}$/;
const USER_TYPE = "#microsoft.graph.user";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every user among the group's direct members, in Graph's order, without duplicates. Devices,
 * contacts, service principals and nested groups are skipped: they have no mailbox of their own
 * here. With only GroupMember.Read.All a member may come back with its type and id alone, which
 * is all the job needs (it addresses `/users/{id}/drive`).
 */
export async function listGroupUsers(
  client: Client,
  groupId: string,
  options: { limiter: RequestLimiter; signal?: AbortSignal; pageSize?: number },
): Promise<DirectoryUser[]> {
  if (!GROUP_ID.test(groupId)) {
    throw new SeptError("bad_request", { message: `'${groupId}' is not a group id.` });
  }
  const top = options.pageSize ?? PAGE_SIZE;
  let url: string | null =
    // `id` is all the job needs, and all GroupMember.Read.All is sure to show of a user; every
    // member carries its `@odata.type` whatever is selected.
    `/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${top}`;
  const users = new Map<string, DirectoryUser>();
  while (url !== null) {
    const pageUrl: string = url;
    const body: unknown = await graphCall(options.limiter, options.signal, () => {
      const request = client.api(pageUrl);
      return (options.signal ? request.option("signal", options.signal) : request).get();
    });
    if (!isRecord(body) || !Array.isArray(body.value)) {
      throw new SeptError("unknown", { message: "Graph returned a members page without value." });
    }
    for (const member of body.value) {
      if (!isRecord(member) || member["@odata.type"] !== USER_TYPE) continue;
      if (typeof member.id !== "string" || member.id === "") continue;
      users.set(member.id, {
        id: member.id,
        ...(typeof member.userPrincipalName === "string"
          ? { userPrincipalName: member.userPrincipalName }
          : {}),
      });
    }
    const next = body["@odata.nextLink"];
    url = typeof next === "string" && next !== pageUrl ? next : null;
  }
  return [...users.values()];
}
