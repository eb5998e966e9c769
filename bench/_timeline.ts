// scratch: timeline of one save (not committed)
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestFake, trustCertificateGlobally } from "../test/support/graph-fake.js";
import { createPaneStack } from "../test/support/pane-stack.js";
import { createFakeOffice, officeItemOf } from "../test/support/fake-office.js";
import { readCurrentItem } from "../src/adapters/office/mailbox.js";

const seedDir = mkdtempSync(join(tmpdir(), "tl-"));
const big = Buffer.alloc(2_200_000, 7).toString("base64").match(/.{1,76}/g)!.join("\r\n");
writeFileSync(join(seedDir, "b.eml"), ["Message-ID: <b@x>", "Date: Wed, 21 Oct 2026 08:00:00 -0600", "From: a@x", "To: b@x", "Subject: big", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", "", big, ""].join("\r\n"));
const t = await startTestFake({ seedDir, seedLarge: false });
trustCertificateGlobally(t.ca);
const view = t.fake.mailbox()[0]!;
const office = createFakeOffice({ requirements: { Mailbox: "1.3" }, item: officeItemOf(view) });
const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, office: office.runtime });
await p.consent.grant(["email_metadata", "email_content"]);
const cur = readCurrentItem(office.runtime);
if (cur.status !== "message") throw new Error();
await p.services.saving.save(cur.message, "warm", true, {});
const deps = p.saveDeps as any;
let t0 = 0;
const marks: string[] = [];
const origMime = deps.mail.getMime.bind(deps.mail);
deps.mail.getMime = async (...a: any[]) => { marks.push(`mime> @${Date.now() - t0}`); const r = await origMime(...a); marks.push(`mime< @${Date.now() - t0}`); return r; };
const origWrite = deps.storage.write.bind(deps.storage);
deps.storage.write = async (...a: any[]) => { marks.push(`write> @${Date.now() - t0}`); const r = await origWrite(...a); marks.push(`write< @${Date.now() - t0}`); return r; };
const origWJ = deps.storage.writeJson.bind(deps.storage);
deps.storage.writeJson = async (...a: any[]) => { marks.push(`wj> ${String(a[0]).slice(0,12)} @${Date.now() - t0}`); const r = await origWJ(...a); marks.push(`wj< @${Date.now() - t0}`); return r; };

for (let i = 0; i < 6; i++) {
  t.fake.clearRequests();
  t0 = Date.now();
  marks.length = 0;
  await p.save({ restId: view.restId, projectId: `p${i}`, includeContent: true, internetMessageId: view.internetMessageId, from: view.from, subject: view.subject, officeMessage: cur.message }, { onProgress: (e) => { if (e.phase !== "uploading" || e.sent === 0 || e.sent === e.total) marks.push(`${e.phase}:${e.sent} @${Date.now() - t0}`); } });
  console.log(marks.join(" | "));
  const end = Date.now();
  console.log(`total ${end - t0} ms`);
  for (const r of t.fake.requests()) console.log(`  +${Date.parse(r.time) - t0} ${r.method} ${decodeURIComponent(r.path).slice(-50)}`);
}
await t.stop();
