// Contract §0: bearer auth, scopes, error body shape, CORS, and the request log's redaction.
import { describe, expect, it } from "vitest";
import { makeDevToken, parseDevToken } from "../../../dev/graph-fake/auth.js";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake({ resetEachTest: false });

interface ErrorJson {
  error: { code: string; message: string; innerError: Record<string, string> };
}

describe("auth", () => {
  it("answers 401 InvalidAuthenticationToken without a bearer", async () => {
    const res = await t.fetch("/me", { auth: false });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorJson).error.code).toBe("InvalidAuthenticationToken");
  });

  it("answers 401 for an expired development token", async () => {
    const expired = makeDevToken({ exp: Math.floor(Date.now() / 1000) - 10 });
    const res = await t.fetch("/me", { auth: expired });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorJson).error.code).toBe("InvalidAuthenticationToken");
  });

  it("answers 401 for an unparsable token", async () => {
    for (const bad of [
      "dev.not-json",
      "eyJhbGciOi.x.y",
      "dev." + Buffer.from("{}").toString("base64url"),
    ]) {
      const res = await t.fetch("/me/drive/special/approot", { auth: bad });
      expect(res.status, bad).toBe(401);
    }
  });

  it("round-trips claims through makeDevToken/parseDevToken", () => {
    const claims = { sub: "u1", upn: "u1@x.example", name: "U One", scp: "User.Read", exp: 42 };
    expect(parseDevToken(makeDevToken(claims))).toEqual(claims);
    expect(parseDevToken("Bearer nope")).toBeNull();
  });

  it("returns the caller from the token on GET /me", async () => {
    const token = makeDevToken({
      sub: "sub-42",
      upn: "jenna.liu@contoso-build.example",
      name: "Jenna Liu",
    });
    const res = await t.fetch("/me", { auth: token });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      id: "sub-42",
      displayName: "Jenna Liu",
      mail: "jenna.liu@contoso-build.example",
      userPrincipalName: "jenna.liu@contoso-build.example",
    });
  });

  it("answers 403 ErrorAccessDenied on mail without Mail.Read", async () => {
    const token = makeDevToken({ scp: "User.Read Files.ReadWrite.AppFolder" });
    const res = await t.fetch("/me/messages", { auth: token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("ErrorAccessDenied");
  });

  it("answers 403 accessDenied on the drive without a Files scope", async () => {
    const token = makeDevToken({ scp: "User.Read Mail.Read" });
    const res = await t.fetch("/me/drive/special/approot", { auth: token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
  });

  it("accepts Files.ReadWrite instead of Files.ReadWrite.AppFolder", async () => {
    const token = makeDevToken({ scp: "Files.ReadWrite" });
    expect((await t.fetch("/me/drive/special/approot", { auth: token })).status).toBe(200);
  });

  it("answers 403 on /me without User.Read", async () => {
    const token = makeDevToken({ scp: "Mail.Read" });
    const res = await t.fetch("/me", { auth: token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
  });

  it("never asks for Mail.ReadWrite: PATCH on a message is 403 with the default scopes", async () => {
    const id = t.fake.mailbox()[0]?.restId;
    if (!id) return; // An empty sample mailbox has nothing to patch.
    const res = await t.fetch(`/me/messages/${id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ categories: ["Saved"] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("ErrorAccessDenied");
  });

  it("accepts opaque tokens registered with acceptToken", async () => {
    const opaque = "eyJ0eXAiOiJKV1QifQ.msal-issued.signature";
    expect((await t.fetch("/me", { auth: opaque })).status).toBe(401);
    t.fake.acceptToken(opaque, {
      sub: "msal-user",
      upn: "msal@contoso-build.example",
      name: "MSAL User",
      scp: "User.Read",
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await t.fetch("/me", { auth: opaque });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe("msal-user");
  });

  it("shapes every error body as {error:{code,message,innerError:{date,request-id,client-request-id}}}", async () => {
    const res = await t.fetch("/me", { auth: false, headers: { "client-request-id": "abc-123" } });
    const body = (await res.json()) as ErrorJson;
    expect(typeof body.error.message).toBe("string");
    expect(body.error.innerError["client-request-id"]).toBe("abc-123");
    expect(body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.headers.get("client-request-id")).toBe("abc-123");
    expect(res.headers.get("request-id")).toBe(body.error.innerError["request-id"]);
  });

  it("answers CORS preflights with 204, the allowed headers, and doesn't log them", async () => {
    t.fake.clearRequests();
    const res = await t.fetch("/me/drive/special/approot", {
      method: "OPTIONS",
      auth: false,
      headers: {
        Origin: "https://localhost:3000",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, if-match, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const h of [
      "authorization",
      "content-type",
      "prefer",
      "if-match",
      "if-none-match",
      "client-request-id",
      "sdkversion",
      "retry-attempt",
      "content-range",
    ]) {
      expect(allowed).toContain(h);
    }
    expect(t.fake.requests()).toHaveLength(0);
  });

  it("exposes Retry-After, ETag, Location and Preference-Applied to browsers", async () => {
    const res = await t.fetch("/me", { headers: { Origin: "https://localhost:3000" } });
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
    for (const h of ["retry-after", "etag", "location", "preference-applied"])
      expect(exposed).toContain(h);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");
  });

  it("logs requests with the Authorization value redacted", async () => {
    t.fake.clearRequests();
    await t.fetch("/me?$select=id");
    const [entry] = t.fake.requests();
    expect(entry).toMatchObject({
      method: "GET",
      path: "/v1.0/me",
      query: "$select=id",
      status: 200,
      batch: false,
    });
    expect(entry?.headers.authorization).toBe("Bearer <redacted>");
    expect(JSON.stringify(t.fake.requests())).not.toContain(t.token);
  });

  it("keeps drive state per user", async () => {
    const alice = makeDevToken({ sub: "alice" });
    const bob = makeDevToken({ sub: "bob" });
    const put = await t.fetch("/me/drive/special/approot:/alice-only.txt:/content", {
      method: "PUT",
      body: "a",
      auth: alice,
    });
    expect(put.status).toBe(201);
    expect(
      (await t.fetch("/me/drive/special/approot:/alice-only.txt", { auth: alice })).status,
    ).toBe(200);
    expect((await t.fetch("/me/drive/special/approot:/alice-only.txt", { auth: bob })).status).toBe(
      404,
    );
    const aliceDrive = (await (await t.fetch("/me/drive", { auth: alice })).json()) as {
      id: string;
    };
    const bobDrive = (await (await t.fetch("/me/drive", { auth: bob })).json()) as { id: string };
    expect(aliceDrive.id).not.toBe(bobDrive.id);
  });
});
