// Privacy-office requests by command (`withdraw`, `delete`, `export` for one user) against the
// Graph fake, app-only through MSAL for Node: what each leaves in the user's storage, what the
// user's own pane then does, and that the same request run twice acts once.
import { strFromU8, unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsentRequiredError } from "../../../src/core/consent/consent.js";
import { exportMyData } from "../../../src/services/rights/export.js";
import { main, type CliIo } from "../../../src/tenant/cli.js";
import { carriesEmailData } from "../../support/pane-stack.js";
import { seedMailbox, startTenantHarness, type TenantHarness } from "../../support/tenant-stack.js";

let h: TenantHarness;
beforeAll(async () => {
  h = await startTenantHarness();
});
afterAll(() => h.stop());

function cli(): { io: CliIo; err: string[] } {
  const err: string[] = [];
  return {
    err,
    io: {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    },
  };
}

/** A user of the sample mailbox, with consent given and three stored emails (two expired). */
async function consentingUser(id: string) {
  const { user } = h.t.seedUser({ id });
  const identity = { id: user.id, username: user.upn, name: user.name };
  const pane = h.pane(identity);
  await pane.consent.grant(["email_metadata", "email_content"]);
  await seedMailbox(h, identity, {
    retentionDays: 90,
    ages: [3, 100, 200],
    firstN: 1,
    now: new Date(),
  });
  return { identity, pane };
}

describe("privacy-office requests", () => {
  it("withdraw: the user's open pane refuses the next save, and no email data moves", async () => {
    const { identity, pane } = await consentingUser("gamma-1");
    const message = h.t.fake.mailboxOf(identity.id)[0]!;
    // The pane works before the request: the refusal below is the withdrawal's doing.
    const saved = await pane.save({
      restId: message.restId,
      projectId: "tower-b",
      includeContent: true,
    });
    expect(saved.status).toBe("saved");

    const { io, err } = cli();
    const result = await main(
      [
        "withdraw",
        "--user",
        identity.id,
        "--reference",
        "PO-2026-0042",
        "--recorded-by",
        "dpo@contoso-build.example",
      ],
      io,
    );
    expect(result.exitCode, err.join("")).toBe(0);

    h.t.fake.clearRequests();
    const other = h.t.fake.mailboxOf(identity.id)[1]!;
    const refusal = await pane
      .save({ restId: other.restId, projectId: "tower-b", includeContent: true })
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConsentRequiredError);
    expect((refusal as ConsentRequiredError).reason).toBe("withdrawn");
    expect(h.t.fake.requests().filter(carriesEmailData)).toEqual([]);

    // The record says who collected it; one event; the same request again changes nothing.
    const records = await h.pane(identity).ledger.list();
    const withdrawal = records.find((r) => r.kind === "withdrawal");
    expect(withdrawal?.collection).toMatchObject({
      method: "privacy_office",
      recordedBy: "dpo@contoso-build.example",
      reference: "PO-2026-0042",
    });
    const again = await main(
      [
        "withdraw",
        "--user",
        identity.id,
        "--reference",
        "PO-2026-0042",
        "--recorded-by",
        "dpo@contoso-build.example",
        "--fresh",
      ],
      cli().io,
    );
    expect(again.exitCode).toBe(0);
    const fresh = h.pane(identity);
    expect((await fresh.ledger.list()).filter((r) => r.kind === "withdrawal")).toHaveLength(1);
    const events = (await fresh.activity.list()).filter((e) => e.kind === "consent_withdrawn");
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({
      collectedBy: "privacy_office",
      reference: "PO-2026-0042",
    });
    expect((await fresh.activity.verify()).ok).toBe(true);
  });

  it("withdraw --dry-run records nothing", async () => {
    const { identity } = await consentingUser("gamma-2");
    const result = await main(
      [
        "withdraw",
        "--user",
        identity.id,
        "--recorded-by",
        "dpo@contoso-build.example",
        "--dry-run",
      ],
      cli().io,
    );
    expect(result.exitCode).toBe(0);
    expect(result.summary?.totals).toMatchObject({ wouldRecord: 1 });
    expect((await h.pane(identity).ledger.list()).map((r) => r.kind)).toEqual(["grant"]);
  });

  it("delete: nothing of the user's is left but the record that the deletion happened", async () => {
    const { identity } = await consentingUser("gamma-3");
    const dry = await main(
      ["delete", "--user", identity.id, "--recorded-by", "dpo@contoso-build.example", "--dry-run"],
      cli().io,
    );
    expect(dry.summary?.totals).toMatchObject({ emails: 3, consentRecords: 1 });
    expect((await h.pane(identity).index.entries({ fresh: true })).length).toBe(3);

    const { io, err } = cli();
    const result = await main(
      [
        "delete",
        "--user",
        identity.id,
        "--reference",
        "PO-2026-0043",
        "--recorded-by",
        "dpo@contoso-build.example",
      ],
      io,
    );
    expect(result.exitCode, err.join("")).toBe(0);
    const pane = h.pane(identity);
    const everything = await Promise.all(
      ["", "emails", "index", "pending", "consent"].map((f) => pane.storage.list(f)),
    );
    expect(everything.flat().map((f) => f.path)).toEqual([]);
    expect((await pane.activity.list()).map((e) => e.id)).toEqual([
      "all-data-deleted-privacy-office-PO-2026-0043",
    ]);
    const [record] = await pane.activity.list();
    expect(record).toMatchObject({
      kind: "all_data_deleted",
      details: {
        emails: 3,
        consentRecords: 1,
        collectedBy: "privacy_office",
        reference: "PO-2026-0043",
      },
    });
    expect(JSON.stringify(record)).not.toContain("Seeded email");
    // The same request again deletes nothing and leaves the one record.
    await main(
      [
        "delete",
        "--user",
        identity.id,
        "--reference",
        "PO-2026-0043",
        "--recorded-by",
        "dpo@contoso-build.example",
        "--fresh",
      ],
      cli().io,
    );
    expect((await h.pane(identity).activity.list()).map((e) => e.id)).toEqual([record!.id]);
  });

  it("export: the same archive the user's pane exports", async () => {
    const { identity, pane } = await consentingUser("gamma-4");
    const now = new Date();
    const paneZip = await exportMyData(
      {
        storage: pane.storage,
        activity: pane.activity,
        ledger: pane.ledger,
        principal: { principalId: identity.username, language: "en" },
        now: () => now,
      },
      {},
    );
    const out = join(h.dir, "exports", "gamma-4.zip");
    const { io, err } = cli();
    const result = await main(["export", "--user", identity.username, "--out", out], io);
    expect(result.exitCode, err.join("")).toBe(0);
    const tenantFiles = unzipSync(new Uint8Array(readFileSync(out)));
    const paneFiles = unzipSync(paneZip);
    expect(Object.keys(tenantFiles).sort()).toEqual(Object.keys(paneFiles).sort());
    for (const [name, bytes] of Object.entries(paneFiles)) {
      if (name === "manifest.json" || name === "activity/log.json") continue;
      expect(strFromU8(tenantFiles[name]!), name).toBe(strFromU8(bytes));
    }
    // The log differs by exactly the pane's own export event, which came first.
    const paneLog = JSON.parse(strFromU8(paneFiles["activity/log.json"]!)) as {
      events: Array<{ id: string }>;
    };
    const tenantLog = JSON.parse(strFromU8(tenantFiles["activity/log.json"]!)) as {
      verified: boolean;
      events: Array<{ id: string; kind: string }>;
    };
    expect(tenantLog.verified).toBe(true);
    expect(tenantLog.events.slice(0, paneLog.events.length).map((e) => e.id)).toEqual(
      paneLog.events.map((e) => e.id),
    );
    expect(tenantLog.events.slice(paneLog.events.length).map((e) => e.kind)).toEqual([
      "data_exported",
    ]);
    const manifest = JSON.parse(strFromU8(tenantFiles["manifest.json"]!)) as {
      principalId: string;
      counts: { emails: number };
    };
    expect(manifest.principalId).toBe(identity.username);
    expect(manifest.counts.emails).toBe(3);
  });
});
