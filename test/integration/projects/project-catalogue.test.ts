import { describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import { PROJECTS_FILE } from "../../../src/services/storage/layout.js";
import {
  createProjectCatalogue,
  type ProjectSeed,
} from "../../../src/services/storage/project-catalogue.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";

const t = useTestFake();

/** One Outlook window: its own Graph client, activity log and catalogue. */
function window(seed?: ProjectSeed[]) {
  const stack = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });
  const projects = createProjectCatalogue(stack.storage, {
    activity: stack.activity,
    ...(seed ? { seed } : {}),
  });
  return { ...stack, projects };
}

describe("the project catalogue against the Graph fake", () => {
  it("lists again with one metadata request while nothing changed, and sees another window's change", async () => {
    const a = window();
    const b = window();
    await a.projects.create("Tower B");
    await a.projects.list();
    t.fake.clearRequests();

    expect((await a.projects.list()).map((p) => p.name)).toEqual(["Tower B"]);
    const again = t.fake.requests().filter((r) => !r.batch);
    expect(again).toHaveLength(1);
    expect(again[0]?.path.endsWith("$batch")).toBe(true);

    await b.projects.create("Bridge");
    expect((await a.projects.list()).map((p) => p.name)).toEqual(["Bridge", "Tower B"]);
  });

  it("loses no project when two windows create projects at once", async () => {
    const a = window();
    const b = window();
    await Promise.all([a.projects.list(), b.projects.list()]);
    await Promise.all([
      ...["A1", "A2", "A3", "A4"].map((name) => a.projects.create(name)),
      ...["B1", "B2", "B3", "B4"].map((name) => b.projects.create(name)),
    ]);
    // Both windows wrote their first project under the same precondition: one was refused and retried.
    const refused = t.fake.requests().filter((r) => r.status === 409 || r.status === 412);
    expect(refused.length).toBeGreaterThan(0);
    const names = (await window().projects.list()).map((p) => p.name);
    expect(names).toEqual(["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"]);

    const events = await a.activity.list();
    expect(events.filter((e) => e.details?.change === "project_created")).toHaveLength(8);
    expect((await a.activity.verify()).ok).toBe(true);
  });

  it("lets only one of two windows create the same name at once", async () => {
    const a = window();
    const b = window();
    const outcomes = await Promise.allSettled([
      a.projects.create("Tower B"),
      b.projects.create("tower b"),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(SeptError);
    expect(((refused as PromiseRejectedResult).reason as SeptError).code).toBe("conflict");
    expect(await window().projects.list()).toHaveLength(1);
  });

  it("keeps a rename and an archive made in two windows at once", async () => {
    const a = window();
    const tower = await a.projects.create("Tower B");
    const bridge = await a.projects.create("Bridge");
    const b = window();
    await b.projects.list();
    await Promise.all([
      a.projects.rename(tower.id, "Tower C"),
      b.projects.setArchived(bridge.id, true),
    ]);
    const all = await window().projects.list({ includeArchived: true });
    expect(all.map((p) => [p.name, p.archived])).toEqual([
      ["Bridge", true],
      ["Tower C", false],
    ]);
  });

  it("stores one small JSON file and writes it under If-Match once it exists", async () => {
    const a = window();
    await a.projects.create("Tower B");
    t.fake.clearRequests();
    await a.projects.create("Bridge");
    const puts = t.fake
      .requests()
      .filter((r) => r.method === "PUT" && decodeURIComponent(r.path).includes(PROJECTS_FILE));
    expect(puts).toHaveLength(1);
    expect(puts[0]?.headers["if-match"]).toBeTruthy();
    expect((await a.storage.list("")).map((f) => f.name)).toContain(PROJECTS_FILE);
  });

  it("seeds the org's projects once, even when two windows start together", async () => {
    const seed = [{ id: "org-tower", name: "Tower B" }, { name: "Bridge" }];
    const [first, second] = await Promise.all([
      window(seed).projects.list(),
      window(seed).projects.list(),
    ]);
    expect(first.map((p) => p.name)).toEqual(["Bridge", "Tower B"]);
    expect(second.map((p) => p.name)).toEqual(["Bridge", "Tower B"]);
    const events = await window().activity.list();
    expect(events.filter((e) => e.details?.change === "project_seeded")).toHaveLength(2);
  });
});
