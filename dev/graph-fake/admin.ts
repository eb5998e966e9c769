// Admin endpoints under /_fake/ (no auth, not logged): faults, the request log, reset, the
// mailbox as Outlook sees it (the stand-in page reads it, and each message's MIME for its
// getAsFileAsync), adding a message at run time, health, and token helpers.
import { makeDevToken } from "./auth.js";
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
import type { DevTokenClaims, FaultConfig, GraphFake, OfficeItemView } from "./types.js";

export interface AdminControls {
  fake: GraphFake;
  faults(): FaultConfig;
  /** Seeds one raw .eml into the mailbox at run time; answers its Outlook view. */
  addMessage?(raw: Buffer): Promise<OfficeItemView>;
  /** Removes the messages added at run time; answers how many. */
  removeAddedMessages?(): number;
  /** The raw MIME of a message by its EWS (Office) or REST id: the bytes $value serves. */
  mime?(itemId: string): Buffer | null;
}

function isClaims(v: unknown): v is DevTokenClaims {
  return (
    isRecord(v) &&
    typeof v.sub === "string" &&
    typeof v.upn === "string" &&
    typeof v.name === "string" &&
    typeof v.scp === "string" &&
    typeof v.exp === "number"
  );
}

export async function handleAdmin(
  req: FakeRequest,
  controls: AdminControls,
): Promise<FakeResponse> {
  const { fake } = controls;
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
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
    case "GET /_fake/mime": {
      // For the Outlook stand-in's item.getAsFileAsync: Outlook hands the add-in the message
      // without a Graph request, so this is not a Graph endpoint and is not logged.
      const raw = controls.mime?.(req.query.get("itemId") ?? "") ?? null;
      if (!raw) throw new GraphError(404, "itemNotFound", "No such message.");
      return jsonResponse(200, { base64: raw.toString("base64") });
    }
    case "POST /_fake/messages": {
      // Body: the raw .eml bytes (message/rfc822). Seeded like the files of the seed folder.
      if (!controls.addMessage || req.body.length === 0) {
        throw new GraphError(400, "invalidRequest", "Expected the raw .eml bytes as the body.");
      }
      return jsonResponse(201, await controls.addMessage(req.body));
    }
    case "DELETE /_fake/messages":
      return jsonResponse(200, { removed: controls.removeAddedMessages?.() ?? 0 });
    case "POST /_fake/tokens": {
      const body = parseJsonBody(req);
      if (!isRecord(body) || typeof body.token !== "string" || !isClaims(body.claims)) {
        throw new GraphError(
          400,
          "invalidRequest",
          "Expected {token, claims:{sub,upn,name,scp,exp}}.",
        );
      }
      fake.acceptToken(body.token, body.claims);
      return emptyResponse(204);
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
