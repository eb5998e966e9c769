// "Delete means gone": after a delete, a purge and "delete all my data", nothing of the deleted
// emails (subject, sender, Message-ID, body) is anywhere in the drive as the fake models it: not in
// a file, not in an earlier version of a file (the index is rewritten on every save), not in the
// recycle bin. Where Microsoft 365 refuses permanentDelete, the same searches find the emails in
// the recycle bin, and the results say so: the check can fail.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { retentionDays } from "../../../src/core/retention.js";
import { purgeExpired } from "../../../src/services/rights/purge.js";
import { deleteAll, deleteStored } from "../../../src/services/rights/remove.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";

const t = useTestFake();
let views: OfficeItemView[];
let driveId: string;

beforeAll(() => {
  views = t.fake.mailbox().filter((v) => v.size < 1024 * 1024);
});
beforeEach(async () => {
  driveId = ((await (await t.fetch("/me/drive")).json()) as { id: string }).id;
});

const pane = () =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    storage: { innerRetry: { delaySeconds: 0 } },
  });

/** Every byte the drive holds, as text with runs of white space as one space: files, their
 * versions, and the recycle bin. */
async function everything(): Promise<string> {
  return (await t.fake.storedContents(driveId))
    .map((c) => c.content.toString("utf8"))
    .join("\n")
    .replace(/\s+/g, " ");
}

/** What identifies an email in stored bytes: subject, sender, Message-ID, a run of its body. */
function traces(view: OfficeItemView): string[] {
  const body = view.bodyPreview.replace(/\s+/g, " ").trim();
  const run = body.split(" ").slice(0, 4).join(" ");
  return [view.subject, view.from.address, view.internetMessageId, run].filter((s) => s.length > 3);
}

/** Saves three emails with content into a fresh pane and checks their traces are stored. */
async function threeSaved() {
  const p = pane();
  await p.consent.grant(["email_metadata", "email_content"]);
  const chosen = views.slice(0, 3);
  const savedIds: string[] = [];
  for (const view of chosen) {
    const result = await p.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: true,
    });
    expect(result.status).toBe("saved");
    savedIds.push(result.savedId);
  }
  const stored = await everything();
  // The control: before any delete, every trace is found (so their absence later means something).
  for (const view of chosen) for (const trace of traces(view)) expect(stored).toContain(trace);
  return { p, chosen, savedIds };
}

function expectNoTrace(stored: string, view: OfficeItemView): void {
  for (const trace of traces(view)) expect(stored).not.toContain(trace);
}

describe("with permanentDelete allowed", () => {
  beforeEach(() => {
    t.fake.setFaults({ permanentDelete: "allowed" });
  });

  it("leaves nothing of a deleted email in files, versions or the recycle bin", async () => {
    const { p, chosen, savedIds } = await threeSaved();
    const result = await deleteStored(p, [savedIds[1]!]);
    expect(result.removed).toEqual([savedIds[1]]);
    expect(result.recycled).toEqual([]);
    const stored = await everything();
    expectNoTrace(stored, chosen[1]!);
    // The others are still whole.
    for (const trace of traces(chosen[0]!)) expect(stored).toContain(trace);
    expect(t.fake.recycleBin(driveId)).toEqual([]);
  });

  it("leaves nothing of a purged email", async () => {
    const { p, chosen } = await threeSaved();
    const later = new Date(Date.now() + 3 * 86_400_000);
    const result = await purgeExpired({ ...p, retention: () => retentionDays(1) }, { now: later });
    expect(result.purged).toHaveLength(3);
    expect(result.recycled).toEqual([]);
    const stored = await everything();
    for (const view of chosen) expectNoTrace(stored, view);
    expect(t.fake.recycleBin(driveId)).toEqual([]);
  });

  it("leaves nothing of any email after delete all my data", async () => {
    const { p, chosen } = await threeSaved();
    const result = await deleteAll({ storage: p.storage, activity: p.activity }, "my_data");
    expect(result.recycled).toEqual([]);
    const stored = await everything();
    for (const view of chosen) expectNoTrace(stored, view);
    expect(t.fake.recycleBin(driveId)).toEqual([]);
    // What is left: only the record that the deletion happened.
    const files = (await t.fake.storedContents(driveId)).map((c) => `${c.where} ${c.path}`);
    // The activity head, holding the deletion's event and nothing else.
    expect(files).toEqual(["file activity/head.json"]);
    expect((await p.activity.list()).map((e) => e.id)).toEqual([result.record.id]);
  });
});

describe("with permanentDelete refused", () => {
  beforeEach(() => {
    t.fake.setFaults({ permanentDelete: "refused" });
  });

  it("says the deleted email sits in the recycle bin, where the search finds it", async () => {
    const { p, chosen, savedIds } = await threeSaved();
    const result = await deleteStored(p, [savedIds[1]!]);
    expect(result.removed).toEqual([savedIds[1]]);
    expect(result.recycled).toEqual([savedIds[1]]);
    const bin = await t.fake.storedContents(driveId);
    const recycled = bin
      .filter((c) => c.where.startsWith("recycleBin"))
      .map((c) => c.content.toString("utf8"))
      .join("\n");
    expect(recycled).toContain(chosen[1]!.subject);
    // Out of the pane all the same.
    expect((await p.index.entries({ fresh: true })).map((e) => e.savedId)).not.toContain(
      savedIds[1],
    );
  });

  it("says delete all left the data in the recycle bin", async () => {
    const { p } = await threeSaved();
    const result = await deleteAll({ storage: p.storage, activity: p.activity }, "my_data");
    expect(result.recycled.length).toBeGreaterThan(0);
    expect(t.fake.recycleBin(driveId).length).toBeGreaterThan(0);
  });
});
