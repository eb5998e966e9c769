// The Chromium half of the export bench: the pane's own export path (exportMyDataTo into the
// blob sink the Stored view uses) over 1 GB of synthetic stored mail, run in a page.
import { createStorageActivityLog } from "../src/services/storage/activity-log.js";
import { createStorageConsentLedger } from "../src/services/storage/consent-ledger.js";
import { exportMyDataTo } from "../src/services/rights/export.js";
import { blobDownloadSink } from "../src/taskpane/shared/download.js";
import { syntheticMailStorage } from "./export-synthetic.js";

declare global {
  interface Window {
    runExport(): Promise<{ sizeBytes: number; emails: number; bytes: number; ms: number }>;
  }
}

window.runExport = async () => {
  const { storage, emails, bytes } = syntheticMailStorage();
  const started = performance.now();
  const summary = await exportMyDataTo(
    {
      storage,
      activity: createStorageActivityLog(storage),
      ledger: createStorageConsentLedger(storage),
      principal: { principalId: "bench@contoso.example", language: "en" },
    },
    blobDownloadSink("bench-export.zip", "application/zip"),
  );
  return { sizeBytes: summary.sizeBytes, emails, bytes, ms: performance.now() - started };
};
