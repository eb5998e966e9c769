// Groups and their direct members: `GET /groups/{id}/members`, as the tenant job lists the users
// the add-in is deployed to. Strict where Graph's documentation allows it to be:
// - it needs GroupMember.Read.All (or a higher directory permission: Group.Read.All,
//   Directory.Read.All, their ReadWrite forms), else 403 Authorization_RequestDenied;
// - members of every type come back (users, nested groups, devices, contacts, service principals),
//   each with its `@odata.type`; the list is direct members only (not transitive);
// - a member the caller may not read in full comes back with its type and id only (Graph's
//   "limited information returned for inaccessible member objects"): a user's
//   userPrincipalName needs a user-reading permission (User.ReadBasic.All, User.Read.All,
//   Directory.Read.All), which the tenant job does not ask for;
// - pages of 100 by default, `$top` up to 999, followed by an opaque `@odata.nextLink`.
// Seeded by tests through `POST /_fake/groups {id, members: [{id, type?}]}` (admin, no auth).
import { GraphError } from "./errors.js";
import { jsonResponse, type FakeRequest, type FakeResponse } from "./exchange.js";
import type { Route } from "./router.js";

export type MemberType = "user" | "group" | "device" | "orgContact" | "servicePrincipal";

export interface GroupMember {
  id: string;
  type: MemberType;
}

const GROUP_READERS = [
  "GroupMember.Read.All",
  "GroupMember.ReadWrite.All",
  "Group.Read.All",
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const USER_READERS = [
  "User.ReadBasic.All",
  "User.Read.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;
const TYPES: readonly MemberType[] = ["user", "group", "device", "orgContact", "servicePrincipal"];

export class GroupDirectory {
  private readonly groups = new Map<string, GroupMember[]>();

  constructor(
    private readonly origin: () => string,
    /** The user principal names the fake knows, by user id. */
    private readonly upnOf: (userId: string) => string | undefined,
  ) {}

  set(groupId: string, members: GroupMember[]): void {
    this.groups.set(groupId, [...members]);
  }

  routes(): Route[] {
    return [
      {
        methods: ["GET"],
        pattern: /^\/v1\.0\/groups\/([^/]+)\/members\/?$/,
        scope: "none",
        handler: (req, params) => this.members(req, params[0] ?? ""),
      },
    ];
  }

  /** `POST /_fake/groups`; null when the request is not for this module. */
  admin(req: FakeRequest): FakeResponse | null {
    if (req.path !== "/_fake/groups" || req.method !== "POST") return null;
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString("utf8"));
    } catch {
      throw new GraphError(400, "BadRequest", "Body must be JSON.");
    }
    const b = body as { id?: unknown; members?: unknown };
    if (typeof b.id !== "string" || !Array.isArray(b.members)) {
      throw new GraphError(400, "BadRequest", "Expected {id, members: [{id, type?}]}.");
    }
    const members: GroupMember[] = b.members.map((m: { id?: unknown; type?: unknown }) => {
      const type = (m.type ?? "user") as MemberType;
      if (typeof m.id !== "string" || !TYPES.includes(type)) {
        throw new GraphError(400, "BadRequest", "A member is {id, type?}.");
      }
      return { id: m.id, type };
    });
    this.set(b.id, members);
    return jsonResponse(201, { id: b.id, members: members.length });
  }

  private members(req: FakeRequest, rawId: string): FakeResponse {
    const user = req.user;
    if (!user || !GROUP_READERS.some((p) => user.scopes.has(p))) {
      throw new GraphError(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    }
    const id = decodeURIComponent(rawId);
    const members = this.groups.get(id);
    if (!members) {
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const topText = req.query.get("$top");
    const top = topText === null ? DEFAULT_PAGE : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) {
      throw new GraphError(400, "Request_BadRequest", `Invalid value '${topText}' for $top.`);
    }
    const skipText = req.query.get("$skiptoken");
    const offset =
      skipText === null ? 0 : Number.parseInt(Buffer.from(skipText, "base64url").toString(), 36);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new GraphError(400, "Request_BadRequest", "Invalid $skiptoken.");
    }
    const readsUsers = USER_READERS.some((p) => user.scopes.has(p));
    const select = (req.query.get("$select") ?? "").split(",").filter(Boolean);
    const page = members.slice(offset, offset + top).map((m) => {
      const base = { "@odata.type": `#microsoft.graph.${m.type}`, id: m.id };
      if (m.type !== "user" || select.length === 0 || !select.includes("userPrincipalName")) {
        return base;
      }
      // Without a user-reading permission only the type and id are visible.
      return { ...base, userPrincipalName: readsUsers ? (this.upnOf(m.id) ?? null) : null };
    });
    const body: Record<string, unknown> = {
      "@odata.context": `${this.origin()}/v1.0/$metadata#directoryObjects`,
      value: page,
    };
    if (offset + top < members.length) {
      const params = new URLSearchParams(req.rawQuery);
      params.set("$skiptoken", Buffer.from((offset + top).toString(36)).toString("base64url"));
      body["@odata.nextLink"] = `${this.origin()}${req.path}?${params.toString()}`;
    }
    return jsonResponse(200, body);
  }
}
