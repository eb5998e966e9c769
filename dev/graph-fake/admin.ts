// Admin endpoints under /_fake/ (no auth, not logged): faults, the request log, reset, the
// mailbox as Outlook sees it (the stand-in page reads it), adding a message at run time, health,
// and token helpers.
import { asClaims, makeAppToken, makeDevToken } from "./auth.js";
import { GraphError } from "./errors.js";
import {
  INVALID_JSON,
  emptyResponse,
  isRecord,
  jsonResponse,
  parseJsonBody,
  type FakeRequest,
  type FakeResponse,
} from "./exchange.js";
import type {
  DevTokenClaims,
  FakeUserSeed,
  FaultConfig,
  GraphFake,
  OfficeItemView,
} from "./types.js";

export interface AdminControls {
  fake: GraphFake;
  faults(): FaultConfig;
  /** Seeds one raw .eml into a mailbox at run time; answers its Outlook view. */
  addMessage?(raw: Buffer, userId?: string): Promise<OfficeItemView>;
  /** Removes the messages added at run time; answers how many. */
  removeAddedMessages?(): number;
  /** Turns one user's OneDrive on or off ("no OneDrive" for that user). */
  setOneDrive?(userId: string, oneDrive: boolean): void;
}

function isSeed(v: unknown): v is FakeUserSeed {
  return (
    isRecord(v) &&
    typeof v.id === "string" &&
    (v.upn === undefined || typeof v.upn === "string") &&
    (v.name === undefined || typeof v.name === "string") &&
    (v.oneDrive === undefined || typeof v.oneDrive === "boolean") &&
    (v.mailbox === undefined || v.mailbox === "sample" || v.mailbox === "empty")
  );
}

export async function handleAdmin(
  req: FakeRequest,
  controls: AdminControls,
): Promise<FakeResponse> {
  const { fake } = controls;
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  const userPatch = /^PATCH \/_fake\/users\/([^/]+)$/.exec(route);
  if (userPatch) {
    const body = parseJsonBody(req);
    if (!isRecord(body) || typeof body.oneDrive !== "boolean" || !controls.setOneDrive) {
      throw new GraphError(400, "invalidRequest", "Expected {oneDrive: boolean}.");
    }
    controls.setOneDrive(decodeURIComponent(userPatch[1] ?? ""), body.oneDrive);
    return emptyResponse(204);
  }
  switch (route) {
    case "GET /_fake/health":
      return jsonResponse(200, {
        ok: true,
        url: fake.url,
        graphBaseUrl: fake.graphBaseUrl,
        messages: fake.mailbox().length,
      });
    case "GET /_fake/faults":
      return jsonResponse(200, controls.faults());
    case "PUT /_fake/faults": {
      const body = parseJsonBody(req);
      if (body === INVALID_JSON || !isRecord(body)) {
        throw new GraphError(400, "invalidRequest", "The body must be a FaultConfig object.");
      }
      try {
        fake.setFaults(body as FaultConfig);
      } catch (err) {
        throw new GraphError(400, "invalidRequest", `Bad fault config: ${(err as Error).message}`);
      }
      return jsonResponse(200, controls.faults());
    }
    case "GET /_fake/requests":
      return jsonResponse(200, fake.requests());
    case "DELETE /_fake/requests":
      fake.clearRequests();
      return emptyResponse(204);
    case "POST /_fake/reset":
      await fake.reset();
      return emptyResponse(204);
    case "GET /_fake/mailbox":
      return jsonResponse(200, fake.mailbox());
    case "POST /_fake/messages": {
      // Body: the raw .eml bytes (message/rfc822). Seeded like the files of the seed folder.
      if (!controls.addMessage || req.body.length === 0) {
        throw new GraphError(400, "invalidRequest", "Expected the raw .eml bytes as the body.");
      }
      const user = req.query.get("user");
      return jsonResponse(201, await controls.addMessage(req.body, user ?? undefined));
    }
    case "DELETE /_fake/messages":
      return jsonResponse(200, { removed: controls.removeAddedMessages?.() ?? 0 });
    case "POST /_fake/tokens": {
      const body = parseJsonBody(req);
      const claims = isRecord(body) ? asClaims(body.claims) : null;
      if (!isRecord(body) || typeof body.token !== "string" || !claims) {
        throw new GraphError(
          400,
          "invalidRequest",
          "Expected {token, claims:{sub,upn,name,scp|roles,exp}}.",
        );
      }
      fake.acceptToken(body.token, claims);
      return emptyResponse(204);
    }
    case "GET /_fake/users":
      return jsonResponse(200, fake.users());
    case "POST /_fake/users": {
      // Body: {id, upn?, name?, oneDrive?, mailbox?: "sample"|"empty"}: a user with their own
      // mailbox and OneDrive.
      const body = parseJsonBody(req);
      if (!isSeed(body)) {
        throw new GraphError(
          400,
          "invalidRequest",
          "Expected {id, upn?, name?, oneDrive?, mailbox?}.",
        );
      }
      return jsonResponse(201, fake.seedUser(body));
    }
    case "POST /_fake/libraries": {
      // Body: {name, sitesSelected?}: an admin-chosen SharePoint library; answers {driveId}.
      const body = parseJsonBody(req);
      if (!isRecord(body) || typeof body.name !== "string") {
        throw new GraphError(400, "invalidRequest", "Expected {name, sitesSelected?}.");
      }
      try {
        return jsonResponse(
          201,
          fake.addLibrary(body.name, { sitesSelected: body.sitesSelected === true }),
        );
      } catch (err) {
        throw new GraphError(400, "invalidRequest", (err as Error).message);
      }
    }
    case "POST /_fake/app-token": {
      // Body: optional {roles, appName}: an app-only token (roles, no scp, idtyp "app").
      const body = parseJsonBody(req);
      const b = isRecord(body) ? body : {};
      const roles =
        Array.isArray(b.roles) && b.roles.every((r) => typeof r === "string")
          ? (b.roles as string[])
          : undefined;
      return jsonResponse(200, {
        token: makeAppToken({
          ...(roles ? { roles } : {}),
          ...(typeof b.appName === "string" ? { appName: b.appName } : {}),
        }),
      });
    }
    case "POST /_fake/dev-token": {
      // For the browser demo: a development token without shipping token code to the pane.
      const body = parseJsonBody(req);
      const claims = isRecord(body) ? (body as Partial<DevTokenClaims>) : {};
      return jsonResponse(200, { token: makeDevToken(claims) });
    }
    default:
      throw new GraphError(404, "itemNotFound", `No admin endpoint '${route}'.`);
  }
}
