// SharePoint storage: a library's app folder is one folder shared by all its users (Graph, "Using
// app folder in OneDrive and SharePoint"), so the add-in keeps each user to `users/{their id}`:
// their consent ledger, log, index and "delete all" never touch another user's data. Without the
// site granted, the library is refused with its own error; Files.ReadWrite.AppFolder can't reach it.
import { describe, expect, it } from "vitest";
import { createDevTokenProvider } from "../../../src/adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../../../src/adapters/graph/app-folder-storage.js";
import { createGraphClient } from "../../../src/adapters/graph/graph-client.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { deleteAll } from "../../../src/services/rights/remove.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { rejectionCode } from "./storage-harness.js";

const t = useTestFake();

function storageFor(userId: string, driveId: string, storageScope: string): StoragePort {
  const client = createGraphClient({
    graphBaseUrl: t.fake.graphBaseUrl,
    auth: createDevTokenProvider({
      id: userId,
      username: `${userId}@contoso.example`,
      name: userId,
    }),
    scopes: [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail, storageScope],
    retry: { delaySeconds: 0, maxRetries: 1 },
  });
  return createAppFolderStorage(client, {
    driveRoot: `/drives/${encodeURIComponent(driveId)}/special/approot`,
    perUserFolder: true,
  });
}

describe("a shared SharePoint library", () => {
  it("keeps each user to their own folder: neither sees nor deletes the other's data", async () => {
    const { driveId } = t.fake.addLibrary("Project Records", { sitesSelected: true });
    const ana = storageFor("ana-oid", driveId, GRAPH_SCOPES.sharePointStorage);
    const ben = storageFor("ben-oid", driveId, GRAPH_SCOPES.sharePointStorage);
    await ana.writeJson("consent/grant-1.json", { who: "ana" });
    await ana.writeJson("emails/a1.json", { subject: "Ana's email" });
    await ben.writeJson("consent/grant-1.json", { who: "ben" });

    expect((await ana.readJson<{ who: string }>("consent/grant-1.json")).value.who).toBe("ana");
    expect((await ben.readJson<{ who: string }>("consent/grant-1.json")).value.who).toBe("ben");
    expect(await ben.list("emails")).toEqual([]);
    expect(await ben.stat("emails/a1.json")).toBeNull();

    // Ben deletes all his data: Ana's is untouched.
    t.fake.setFaults({ permanentDelete: "allowed" });
    await deleteAll({ storage: ben, activity: createStorageActivityLog(ben) }, "my_data");
    expect((await ana.list("emails")).map((f) => f.name)).toEqual(["a1.json"]);
    expect((await ana.readJson<{ who: string }>("consent/grant-1.json")).value.who).toBe("ana");

    // In the library, each user's files sit under users/{their id}.
    const paths = (await t.fake.storedContents(driveId)).map((c) => c.path).sort();
    expect(paths.filter((p) => p.startsWith("users/ana-oid/"))).toEqual([
      "users/ana-oid/consent/grant-1.json",
      "users/ana-oid/emails/a1.json",
    ]);
    expect(paths.every((p) => p.startsWith("users/"))).toBe(true);
  });

  it("refuses a library whose site was not granted, with library_access_required", async () => {
    const { driveId } = t.fake.addLibrary("Not Granted");
    const storage = storageFor("ana-oid", driveId, GRAPH_SCOPES.sharePointStorage);
    expect(await rejectionCode(storage.writeJson("consent/x.json", {}))).toBe(
      "library_access_required",
    );
    expect(await rejectionCode(storage.list("consent"))).toBe("library_access_required");
  });

  it("can't reach a library with Files.ReadWrite.AppFolder alone", async () => {
    const { driveId } = t.fake.addLibrary("Project Records", { sitesSelected: true });
    const storage = storageFor("ana-oid", driveId, GRAPH_SCOPES.storage);
    expect(await rejectionCode(storage.list("consent"))).toBe("library_access_required");
  });
});
