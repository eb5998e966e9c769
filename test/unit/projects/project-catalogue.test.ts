import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { SeptError } from "../../../src/core/errors.js";
import type { ActivityLogPort } from "../../../src/core/ports/activity-log.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import {
  normalizeProjectName,
  parseProjectsDocument,
  projectErrorKey,
} from "../../../src/core/projects.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { PROJECTS_FILE } from "../../../src/services/storage/layout.js";
import {
  createProjectCatalogue,
  type ProjectCatalogueDeps,
} from "../../../src/services/storage/project-catalogue.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

function setup(storage = createMemoryStorage(), deps: Partial<ProjectCatalogueDeps> = {}) {
  const activity = createStorageActivityLog(storage);
  let n = 0;
  let tick = 0;
  const catalogue = createProjectCatalogue(storage, {
    activity,
    newId: () => `p${++n}`,
    now: () => new Date(Date.UTC(2026, 0, 1, 10, 0, 0, tick++)),
    ...deps,
  });
  return { storage, activity, catalogue };
}

async function failure(promise: Promise<unknown>): Promise<SeptError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeptError);
  return error as SeptError;
}

const changes = async (activity: ActivityLogPort) =>
  (await activity.list())
    .reverse()
    .map((e: ActivityEvent) => `${e.kind}:${e.refs.projectId}:${String(e.details?.change)}`);

describe("project names", () => {
  it("are trimmed and must have 1 to 120 characters on one line", () => {
    expect(normalizeProjectName("  Tower B  ")).toBe("Tower B");
    expect(normalizeProjectName("é".repeat(120))).toHaveLength(120);
    for (const bad of ["", "   ", "x".repeat(121), "two\nlines"]) {
      expect(() => normalizeProjectName(bad), JSON.stringify(bad)).toThrow(SeptError);
    }
  });

  it("refusals carry a key the pane can explain", () => {
    let error: unknown;
    try {
      normalizeProjectName("");
    } catch (e) {
      error = e;
    }
    expect((error as SeptError).code).toBe("bad_request");
    expect(projectErrorKey(error)).toBe("projects.nameInvalid");
    expect(projectErrorKey(new SeptError("conflict"))).toBeNull();
  });
});

describe("the project catalogue", () => {
  it("creates projects in projects.json and lists them sorted by name", async () => {
    const { catalogue, storage } = setup();
    await catalogue.create("Tower B");
    await catalogue.create("  bridge ");
    await catalogue.create("Annex");
    expect((await catalogue.list()).map((p) => p.name)).toEqual(["Annex", "bridge", "Tower B"]);
    const { value } = await storage.readJson<unknown>(PROJECTS_FILE);
    expect(parseProjectsDocument(value).projects).toHaveLength(3);
    expect(value).toMatchObject({ schema: 1 });
  });

  it("returns the new project with its id and times", async () => {
    const { catalogue } = setup();
    expect(await catalogue.create("Tower B")).toEqual({
      id: "p1",
      name: "Tower B",
      archived: false,
      createdAt: "2026-01-01T10:00:00.000Z",
      updatedAt: "2026-01-01T10:00:00.000Z",
    });
  });

  it("refuses a name an active project has, whatever its case", async () => {
    const { catalogue } = setup();
    await catalogue.create("Tower B");
    const error = await failure(catalogue.create("tower b"));
    expect(error.code).toBe("conflict");
    expect(error.params).toMatchObject({ reason: "name_taken", name: "Tower B", projectId: "p1" });
    expect(projectErrorKey(error)).toBe("projects.nameTaken");
  });

  it("refuses a bad name before touching storage", async () => {
    const { catalogue, storage } = setup();
    expect((await failure(catalogue.create(" "))).code).toBe("bad_request");
    expect(storage.writes).toEqual([]);
  });

  it("frees an archived project's name, and refuses to bring it back while the name is taken", async () => {
    const { catalogue } = setup();
    const old = await catalogue.create("Tower B");
    await catalogue.setArchived(old.id, true);
    const fresh = await catalogue.create("Tower B");
    expect((await catalogue.list()).map((p) => p.id)).toEqual([fresh.id]);
    expect((await catalogue.list({ includeArchived: true })).map((p) => p.id).sort()).toEqual([
      old.id,
      fresh.id,
    ]);
    expect((await failure(catalogue.setArchived(old.id, false))).code).toBe("conflict");
  });

  it("renames, refusing another active project's name but allowing a change of case", async () => {
    const { catalogue } = setup();
    const tower = await catalogue.create("Tower B");
    await catalogue.create("Bridge");
    expect((await failure(catalogue.rename(tower.id, "BRIDGE"))).code).toBe("conflict");
    const renamed = await catalogue.rename(tower.id, "TOWER B");
    expect(renamed.name).toBe("TOWER B");
    expect(renamed.updatedAt > renamed.createdAt).toBe(true);
  });

  it("answers not_found for an unknown project", async () => {
    const { catalogue } = setup();
    await catalogue.create("Tower B");
    const error = await failure(catalogue.rename("nope", "X"));
    expect(error.code).toBe("not_found");
    expect(error.params).toEqual({ projectId: "nope" });
  });

  it("logs every change as a settings_changed event with the project id, never its name", async () => {
    const { catalogue, activity } = setup();
    const tower = await catalogue.create("Tower B");
    await catalogue.rename(tower.id, "Tower C");
    await catalogue.rename(tower.id, "Tower C"); // no change, no event
    await catalogue.setArchived(tower.id, true);
    await catalogue.setArchived(tower.id, false);
    expect(await changes(activity)).toEqual([
      "settings_changed:p1:project_created",
      "settings_changed:p1:project_renamed",
      "settings_changed:p1:project_archived",
      "settings_changed:p1:project_unarchived",
    ]);
    const text = JSON.stringify(await activity.list());
    expect(text).not.toContain("Tower");
  });

  it("keeps both panes' projects when they write at once", async () => {
    const storage = createMemoryStorage();
    const a = setup(storage, {
      newId: (() => {
        let i = 0;
        return () => `a${++i}`;
      })(),
    });
    const b = setup(storage, {
      newId: (() => {
        let i = 0;
        return () => `b${++i}`;
      })(),
    });
    await a.catalogue.list();
    await b.catalogue.list();
    await Promise.all([
      ...["A1", "A2", "A3"].map((n) => a.catalogue.create(n)),
      ...["B1", "B2", "B3"].map((n) => b.catalogue.create(n)),
    ]);
    expect((await a.catalogue.list()).map((p) => p.name)).toEqual([
      "A1",
      "A2",
      "A3",
      "B1",
      "B2",
      "B3",
    ]);
  });

  it("re-reads and re-checks when its cached copy is stale", async () => {
    const storage = createMemoryStorage();
    const a = setup(storage);
    const b = setup(storage, { newId: () => "from-b" });
    await a.catalogue.list();
    await b.catalogue.create("Tower B");
    // A's cache has no "Tower B": the write under its stale eTag fails, the re-read finds the name.
    expect((await failure(a.catalogue.create("tower b"))).code).toBe("conflict");
    // A's cache does not know "from-b": renaming it is judged on the stored copy.
    expect((await a.catalogue.rename("from-b", "Tower C")).name).toBe("Tower C");
  });

  it("reports success, and logs once, when its write landed but the answer was lost", async () => {
    const memory = createMemoryStorage();
    let lose = true;
    const storage: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        const file = await memory.writeJson(path, value, options);
        if (path === PROJECTS_FILE && lose) {
          lose = false;
          throw new SeptError("precondition_failed"); // what a retried PUT meets after landing
        }
        return file;
      },
    };
    const { catalogue, activity } = setup(memory);
    await catalogue.list();
    const withLoss = createProjectCatalogue(storage, { activity, newId: () => "lost" });
    expect((await withLoss.create("Tower B")).id).toBe("lost");
    expect(await changes(activity)).toEqual(["settings_changed:lost:project_created"]);
  });

  it("gives up after a few rounds when the file keeps changing under it", async () => {
    const memory = createMemoryStorage();
    const storage: StoragePort = {
      ...memory,
      async writeJson() {
        throw new SeptError("precondition_failed");
      },
    };
    const { activity } = setup(memory);
    const catalogue = createProjectCatalogue(storage, { activity });
    expect((await failure(catalogue.create("Tower B"))).code).toBe("precondition_failed");
  });

  it("seeds the org's projects once, by id, leaving the user's archive and names alone", async () => {
    const storage = createMemoryStorage();
    const { catalogue, activity } = setup(storage);
    const mine = await catalogue.create("Depot");
    const orgList = [{ id: "org-tower", name: "Tower B" }, { name: "depot" }, { name: "Bridge" }];
    const seeded = setup(storage, { seed: orgList }).catalogue;
    expect((await seeded.list()).map((p) => p.name)).toEqual(["Bridge", "Depot", "Tower B"]);
    await seeded.setArchived("org-tower", true);
    // Another pane starting with the same policy adds nothing back.
    const again = setup(storage, { seed: orgList }).catalogue;
    expect((await again.list()).map((p) => p.name)).toEqual(["Bridge", "Depot"]);
    expect((await again.list({ includeArchived: true })).map((p) => p.id)).toContain(mine.id);
    const seededEvents = (await changes(activity)).filter((c) => c.endsWith("project_seeded"));
    expect(seededEvents).toHaveLength(2);
  });

  it("derives a stable id for an org project given without one", async () => {
    const storage = createMemoryStorage();
    await setup(storage).catalogue.seed([{ name: "Bridge" }]);
    await setup(storage).catalogue.seed([{ name: "Bridge" }]);
    const all = await setup(storage).catalogue.list({ includeArchived: true });
    expect(all).toHaveLength(1);
    expect(all[0]?.id).toMatch(/^org-[0-9a-f]{24}$/);
  });

  it("refuses to rewrite a catalogue of a schema it does not know", async () => {
    const storage = createMemoryStorage();
    await storage.writeJson(PROJECTS_FILE, { schema: 2, projects: [], tags: ["x"] });
    const { catalogue } = setup(storage);
    expect((await failure(catalogue.create("Tower B"))).code).toBe("unknown");
    expect(await storage.readJson(PROJECTS_FILE)).toMatchObject({ value: { schema: 2 } });
  });
});
