import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Subtitle2,
} from "@fluentui/react-components";
import { useState } from "react";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import { openDownloadTarget } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type { StoredFacade } from "../../pane-services.js";

/** "A copy of my data" (GDPR Art. 20): one ZIP, with progress for long exports. */
export function ExportCard(props: { stored: StoredFacade }) {
  const panel = usePanelStyles();
  const { t, errorText } = useI18n();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<SeptError | null>(null);

  const run = async () => {
    setDone(false);
    setError(null);
    // The target first, while the click still counts as a user gesture (file picker).
    const stamp = new Date().toISOString().slice(0, 10);
    const target = await openDownloadTarget(`sept-my-data-${stamp}.zip`, "application/zip");
    if (target.kind === "cancelled") return;
    setProgress({ done: 0, total: 0 });
    try {
      await props.stored.exportAll(target.sink, (d, total) => setProgress({ done: d, total }));
      setDone(true);
    } catch (e) {
      setError(toSeptError(e));
    } finally {
      setProgress(null);
    }
  };

  return (
    <section className={panel.panel} aria-labelledby="export-heading" data-testid="export-card">
      <Subtitle2 as="h3" id="export-heading">
        {t("export.heading")}
      </Subtitle2>
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
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(error)}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
