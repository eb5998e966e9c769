// Several users, each with their own mailbox and OneDrive; app-only tokens; SharePoint libraries
// whose app folder is one folder shared by all their users (Graph, "Using app folder in OneDrive
// and SharePoint").
import { beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake();
let ana: { user: { id: string; driveId: string }; token: string };
let ben: { user: { id: string; driveId: string }; token: string };

beforeEach(async () => {
  ana = t.seedUser({ id: "0a0a0a0a-0000-4000-8000-00000000a0a1", upn: "ana@contoso.example" });
  ben = t.seedUser({
    id: "0b0b0b0b-0000-4000-8000-00000000b0b2",
    upn: "ben@contoso.example",
    mailbox: "empty",
  });
});

interface ErrorJson {
  error: { code: string; message: string };
}
interface Listing {
  value: Array<{ name: string; subject?: string }>;
}

async function putFile(path: string, body: string, token: string): Promise<Response> {
  return t.fetch(`${path}:/note.txt:/content`, { method: "PUT", body, auth: token });
}

async function names(path: string, token: string): Promise<string[]> {
  const res = await t.fetch(`${path}/children`, { auth: token });
  expect(res.status).toBe(200);
  return ((await res.json()) as Listing).value.map((i) => i.name);
}

describe("several users", () => {
  it("gives each user their own app folder under /me", async () => {
    expect((await putFile("/me/drive/special/approot", "ana's", ana.token)).status).toBe(201);
    expect(await names("/me/drive/special/approot", ana.token)).toEqual(["note.txt"]);
    expect(await names("/me/drive/special/approot", ben.token)).toEqual([]);
  });

  it("answers /me as the token's user, named by oid", async () => {
    const me = (await (await t.fetch("/me", { auth: ana.token })).json()) as { id: string };
    expect(me.id).toBe(ana.user.id);
  });

  it("gives each seeded user their own mailbox", async () => {
    const a = (await (
      await t.fetch("/me/messages?$top=50", { auth: ana.token })
    ).json()) as Listing;
    const b = (await (
      await t.fetch("/me/messages?$top=50", { auth: ben.token })
    ).json()) as Listing;
    expect(a.value.length).toBeGreaterThan(0);
    expect(b.value).toEqual([]);
    const raw = readFileSync(
      join(import.meta.dirname, "../../../dev/sample-mailbox", "01-tower-b-rfi-014-response.eml"),
    );
    await t.fake.addMessage(Buffer.concat([raw, Buffer.from("\r\n")]), ben.user.id);
    const after = (await (await t.fetch("/me/messages", { auth: ben.token })).json()) as Listing;
    expect(after.value).toHaveLength(1);
    expect(t.fake.mailboxOf(ben.user.id)).toHaveLength(1);
  });

  it("lets a delegated token reach its own user through /users/{id}", async () => {
    await putFile("/me/drive/special/approot", "x", ana.token);
    expect(await names(`/users/${ana.user.id}/drive/special/approot`, ana.token)).toEqual([
      "note.txt",
    ]);
    const byUpn = await t.fetch(`/users/ana@contoso.example/messages?$top=1`, { auth: ana.token });
    expect(byUpn.status).toBe(200);
  });

  it("refuses a delegated token another user's drive and mail (403)", async () => {
    const drive = await t.fetch(`/users/${ben.user.id}/drive/special/approot`, { auth: ana.token });
    expect(drive.status).toBe(403);
    expect(((await drive.json()) as ErrorJson).error.code).toBe("accessDenied");
    const mail = await t.fetch(`/users/${ben.user.id}/messages`, { auth: ana.token });
    expect(mail.status).toBe(403);
    expect(((await mail.json()) as ErrorJson).error.code).toBe("ErrorAccessDenied");
    const byDrive = await t.fetch(`/drives/${ben.user.driveId}/special/approot`, {
      auth: ana.token,
    });
    expect(byDrive.status).toBe(403);
  });

  it("answers 404 for a user id that names nobody", async () => {
    const res = await t.fetch(`/users/nobody-here/drive/special/approot`, {
      auth: t.appToken(),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe("Request_ResourceNotFound");
  });

  it("answers 404 'mysite not found' for a user without a provisioned OneDrive", async () => {
    const { token } = t.seedUser({ id: "no-drive-user", oneDrive: false });
    const res = await t.fetch("/me/drive/special/approot", { auth: token });
    expect(res.status).toBe(404);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("itemNotFound");
    expect(body.error.message).toMatch(/mysite not found/i);
  });
});

describe("app-only tokens", () => {
  it("reach any user's app folder through /users/{id}/drive and /drives/{id}", async () => {
    await putFile("/me/drive/special/approot", "ana's", ana.token);
    const app = t.appToken();
    expect(await names(`/users/${ana.user.id}/drive/special/approot`, app)).toEqual(["note.txt"]);
    expect(await names(`/drives/${ana.user.driveId}/special/approot`, app)).toEqual(["note.txt"]);
    expect(await names(`/drives/${ben.user.driveId}/special/approot`, app)).toEqual([]);
    const write = await putFile(`/users/${ben.user.id}/drive/special/approot`, "job", app);
    expect(write.status).toBe(201);
    expect(await names("/me/drive/special/approot", ben.token)).toEqual(["note.txt"]);
  });

  it("have no /me (400)", async () => {
    const res = await t.fetch("/me/drive/special/approot", { auth: t.appToken() });
    expect(res.status).toBe(400);
  });

  it("read a user's mail only with a Mail role", async () => {
    const none = await t.fetch(`/users/${ana.user.id}/messages`, { auth: t.appToken() });
    expect(none.status).toBe(403);
    const withRole = await t.fetch(`/users/${ana.user.id}/messages?$top=2`, {
      auth: t.appToken(["Mail.Read"]),
    });
    expect(withRole.status).toBe(200);
    expect(((await withRole.json()) as Listing).value).toHaveLength(2);
  });

  it("reach no drive without a Files or Sites role", async () => {
    const res = await t.fetch(`/users/${ana.user.id}/drive/special/approot`, {
      auth: t.appToken(["Mail.Read"]),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
  });
});

describe("a SharePoint library", () => {
  it("has one app folder shared by every user of the library", async () => {
    const { driveId } = t.fake.addLibrary("Project Records");
    const scopes = "User.Read Files.ReadWrite.All";
    const a = t.seedUser({ id: "lib-user-a" }, scopes);
    const b = t.seedUser({ id: "lib-user-b" }, scopes);
    const root = `/drives/${driveId}/special/approot`;
    expect((await putFile(root, "a's", a.token)).status).toBe(201);
    expect(await names(root, b.token)).toEqual(["note.txt"]);
    expect(await names(root, t.appToken())).toEqual(["note.txt"]);
    const drive = (await (await t.fetch(`/drives/${driveId}`, { auth: a.token })).json()) as {
      driveType: string;
    };
    expect(drive.driveType).toBe("documentLibrary");
  });

  it("is out of reach of a delegated Files.ReadWrite.AppFolder token (403)", async () => {
    const { driveId } = t.fake.addLibrary("Project Records");
    const res = await t.fetch(`/drives/${driveId}/special/approot`, { auth: ana.token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
  });

  it("is reachable with Sites.Selected only where the admin granted the site", async () => {
    const granted = t.fake.addLibrary("Granted Library", { sitesSelected: true });
    const other = t.fake.addLibrary("Other Library");
    const { token } = t.seedUser({ id: "sites-selected-user" }, "User.Read Sites.Selected");
    expect(
      (await t.fetch(`/drives/${granted.driveId}/special/approot`, { auth: token })).status,
    ).toBe(200);
    expect(
      (await t.fetch(`/drives/${other.driveId}/special/approot`, { auth: token })).status,
    ).toBe(403);
  });
});
