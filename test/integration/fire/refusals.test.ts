// Refusals under fire: the app folder refused (403), a full OneDrive (507) and a token that
// expires mid-save (one 401 at any step of a save). Each gives a typed error the pane can show
// in English and French, the emails saved before are untouched, nothing half-saved is visible,
// and the same save succeeds once the cause is gone.
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError, type ErrorCode } from "../../../src/core/errors.js";
import { features, translate } from "../../../src/core/i18n/index.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { deleteStored } from "../../../src/services/rights/remove.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { expectConsistent, storedState, type StoredState } from "../save/save-fixtures.js";

const t = useTestFake();
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

type Pane = ReturnType<typeof createPaneStack>;

const pane = () =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...noWaitRetries(1),
    save: { stepRetry: { retries: 1, delayMs: 10 } },
  });

/** A pane with content consent that has saved one email already (the one that must not be lost). */
async function paneWithOneSave() {
  const p = pane();
  await p.consent.grant(["email_metadata", "email_content"]);
  const first = await p.save({
    restId: views[0]!.restId,
    projectId: "before",
    includeContent: true,
  });
  expect(first.status).toBe("saved");
  return { p, firstId: first.savedId };
}

function expectExplained(error: unknown, code: ErrorCode): SeptError {
  expect(error).toBeInstanceOf(SeptError);
  const e = error as SeptError;
  expect(e.code).toBe(code);
  const english = translate("en", e.messageKey, e.params);
  const french = translate("fr", e.messageKey, e.params);
  expect(english.length).toBeGreaterThan(10);
  expect(french.length).toBeGreaterThan(10);
  expect(french).not.toBe(english);
  expect(english).not.toMatch(/\{\w+\}/);
  expect(french).not.toMatch(/\{\w+\}/);
  expect(Object.keys(features.errors.en)).toContain(e.messageKey);
  return e;
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e,
  );

/** The one earlier save is still complete; what is visible is whole. */
function expectEarlierSaveKept(state: StoredState, firstId: string) {
  expect(state.records).toContain(firstId);
  expect(state.contents).toContain(firstId);
  expect(state.indexIds).toContain(firstId);
  expect(state.events.get(firstId)).toBe(1);
  for (const id of state.indexIds) {
    expect(state.records).toContain(id);
    expect(state.events.get(id)).toBe(1);
  }
}

async function retryAfterCauseGone(p: Pane, restId: string, firstId: string) {
  t.fake.setFaults({});
  const again = await p.save({ restId, projectId: "after", includeContent: true });
  expect(["saved", "already_saved"]).toContain(again.status);
  await pane().reconcile();
  const state = await storedState(pane());
  expectConsistent(state);
  expect(state.records).toEqual([firstId, again.savedId].sort());
  expect(state.contents).toEqual([firstId, again.savedId].sort());
}

describe("the app folder refused (403)", () => {
  it("fails app_folder_refused in both languages, says what an admin must do, and loses nothing", async () => {
    const { p, firstId } = await paneWithOneSave();
    t.fake.setFaults({ approotForbidden: true });
    const error = await caught(
      p.save({ restId: views[1]!.restId, projectId: "after", includeContent: true }),
    );
    const e = expectExplained(error, "app_folder_refused");
    expect(translate("en", e.messageKey)).toMatch(/administrator.*Files\.ReadWrite\.AppFolder/);
    expect(translate("fr", e.messageKey)).toMatch(/administrateur.*Files\.ReadWrite\.AppFolder/);
    t.fake.setFaults({});
    expectEarlierSaveKept(await storedState(pane()), firstId);
    await retryAfterCauseGone(p, views[1]!.restId, firstId);
  });
});

describe("no OneDrive provisioned (404 mysite not found)", () => {
  it("fails drive_not_provisioned in both languages instead of an empty view, and loses nothing", async () => {
    const { p, firstId } = await paneWithOneSave();
    t.fake.setFaults({ noOneDrive: true });
    // What the pane reads first: the stored list would otherwise look empty.
    const listError = await caught(pane().index.entries({ fresh: true }));
    const e = expectExplained(listError, "drive_not_provisioned");
    expect(translate("en", e.messageKey)).toMatch(/administrator/);
    expect(translate("fr", e.messageKey)).toMatch(/administrateur/);
    // A pane opened now (its first look at storage finds no OneDrive) can't save, and says why.
    const saveError = await caught(
      pane().save({ restId: views[1]!.restId, projectId: "after", includeContent: true }),
    );
    expectExplained(saveError, "drive_not_provisioned");
    t.fake.setFaults({});
    expectEarlierSaveKept(await storedState(pane()), firstId);
    await retryAfterCauseGone(p, views[1]!.restId, firstId);
  });
});

describe("permanent delete refused (403 on permanentDelete)", () => {
  it("deletes through the recycle bin and says so in both languages, with nothing else lost", async () => {
    const { p, firstId } = await paneWithOneSave();
    const second = await p.save({
      restId: views[1]!.restId,
      projectId: "before",
      includeContent: true,
    });
    t.fake.setFaults({ permanentDelete: "refused" });
    const result = await deleteStored(p, [second.savedId]);
    expect(result.removed).toEqual([second.savedId]);
    expect(result.recycled).toEqual([second.savedId]);
    const recycled = result.recycled.length;
    const english = translate("en", "storage.recycled", { count: recycled, days: 93 });
    const french = translate("fr", "storage.recycled", { count: recycled, days: 93 });
    expect(english).toMatch(/recycle bin.*93 days/);
    expect(french).toMatch(/corbeille.*93 jours/);
    // The deleted email is out of the pane; the other one is whole.
    expect((await p.index.entries({ fresh: true })).map((e) => e.savedId)).toEqual([firstId]);
    expectEarlierSaveKept(await storedState(pane()), firstId);
    // Allowed again: a delete is for good, and says so.
    t.fake.setFaults({ permanentDelete: "allowed" });
    const again = await deleteStored(pane(), [firstId]);
    expect(again.removed).toEqual([firstId]);
    expect(again.recycled).toEqual([]);
  });
});

describe("a full OneDrive (507)", () => {
  it("fails quota_full in both languages and loses nothing", async () => {
    const { p, firstId } = await paneWithOneSave();
    t.fake.setFaults({ quotaFull: true });
    const error = await caught(
      p.save({ restId: views[1]!.restId, projectId: "after", includeContent: true }),
    );
    const e = expectExplained(error, "quota_full");
    expect(e.retryable).toBe(false);
    t.fake.setFaults({});
    expectEarlierSaveKept(await storedState(pane()), firstId);
    await retryAfterCauseGone(p, views[1]!.restId, firstId);
  });
});

describe("the token expires mid-save (one 401)", () => {
  const STEPS: Array<[string, string]> = [
    ["reading the message", "^GET /v1\\.0/me/messages/"],
    ["uploading the content", "^PUT .*approot:/emails/[^/]+\\.eml"],
    // The record and its index entry are one write into the record shard.
    ["writing the record", "^PUT .*approot:/records/[^/]+\\.json"],
    ["logging the event", "^(PUT|POST|PATCH) .*activity"],
  ];
  it.each(STEPS)(
    "while %s: auth_required (or a transparent retry), nothing half-saved visible",
    async (_step, match) => {
      const { p, firstId } = await paneWithOneSave();
      t.fake.clearRequests();
      t.fake.setFaults({ queue: [{ status: 401, match }] });
      const restId = views[2]!.restId;
      const outcome = await p
        .save({ restId, projectId: "after", includeContent: true })
        .catch((e: unknown) => e);
      const hit = t.fake.requests().some((r) => r.status === 401);
      expect(hit).toBe(true);
      console.info(
        `401 while ${_step}: ${outcome instanceof SeptError ? outcome.code : JSON.stringify((outcome as { status?: string }).status)}`,
      );
      if (outcome instanceof Error) {
        const e = expectExplained(outcome, "auth_required");
        expect(translate("en", e.messageKey)).toMatch(/sign/i);
      } else {
        // Transparent retry: the save completed.
        expect(["saved", "already_saved"]).toContain((outcome as { status: string }).status);
      }
      t.fake.setFaults({});
      expectEarlierSaveKept(await storedState(pane()), firstId);
      // Signing in again (a fresh token) and saving again completes it exactly once.
      await p.consent.refresh();
      await retryAfterCauseGone(p, restId, firstId);
    },
  );
});
