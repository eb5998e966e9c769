import { Body1, Button, Caption1, ProgressBar } from "@fluentui/react-components";
import { useState } from "react";
import { openDownloadTarget } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { useLoad } from "../../shared/use-load.js";
import type { StoredFacade } from "./facade.js";

/** "A copy of my data" (GDPR Art. 20): one ZIP, with progress for long exports. */
export function ExportCard(props: { stored: StoredFacade }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [done, setDone] = useState(false);
  const { error, run: guard } = useLoad();

  const run = async () => {
    setDone(false);
    // The target first, while the click still counts as a user gesture (file picker).
    const stamp = new Date().toISOString().slice(0, 10);
    const target = await openDownloadTarget(`sept-my-data-${stamp}.zip`, "application/zip");
    if (target.kind === "cancelled") return;
    setProgress({ done: 0, total: 0 });
    await guard(async () => {
      await props.stored.exportAll(target.sink, (d, total) => setProgress({ done: d, total }));
      setDone(true);
    });
    setProgress(null);
  };

  return (
    <Panel id="export-heading" title={t("export.heading")} testId="export-card">
      <Body1>{t("export.explain")}</Body1>
      <div>
        <Button disabled={progress !== null} onClick={() => void run()} data-testid="export-button">
          {t("export.button")}
        </Button>
      </div>
      {progress && (
        <>
          <ProgressBar
            value={progress.total ? progress.done / progress.total : undefined}
            aria-label={t("export.progress", progress)}
          />
          <Caption1>{t("export.progress", progress)}</Caption1>
        </>
      )}
      {done && (
        <Caption1 role="status" data-testid="export-done">
          {t("export.done")}
        </Caption1>
      )}
      <ErrorBar error={error} />
    </Panel>
  );
}
