import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  makeStyles,
} from "@fluentui/react-components";
import { useState } from "react";
import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { useLoad } from "../../shared/use-load.js";
import type { RetentionSetting, StoredFacade } from "./facade.js";

const PRESETS = [30, 90, 180, 365];

const useStyles = makeStyles({
  row: { display: "flex", gap: "8px", alignItems: "end", flexWrap: "wrap" },
});

function toChoice(value: string, customDays: string): RetentionSetting | null {
  if (value === "forever") return { kind: "forever" };
  const days = value === "custom" ? Number(customDays) : Number(value);
  return Number.isInteger(days) && days > 0 ? { kind: "days", days } : null;
}

/** The retention setting (account settings, policy §5), with the org's bounds and a purge button. */
export function RetentionCard(props: { stored: StoredFacade; onChanged(): void }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t } = useI18n();
  const [value, setValue] = useState("90");
  const [customDays, setCustomDays] = useState("");
  const [confirm, setConfirm] = useState<{ choice: RetentionSetting; count: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { stored } = props;
  const load = useLoad(() => stored.retention(), [stored], {
    onLoaded: ({ setting }) => {
      if (setting.kind === "forever") setValue("forever");
      else if (PRESETS.includes(setting.days)) setValue(String(setting.days));
      else {
        setValue("custom");
        setCustomDays(String(setting.days));
      }
    },
  });
  const bounds = load.data?.bounds ?? null;
  const { error } = load;

  const choice = toChoice(value, customDays);
  const inBounds =
    choice !== null &&
    bounds !== null &&
    (choice.kind === "forever"
      ? bounds.allowForever
      : choice.days >= bounds.minDays && choice.days <= bounds.maxDays);

  // Purged items Microsoft 365 kept in the recycle bin are reported as such, not as gone.
  const purgedText = (purged: number): string => {
    const recycled = props.stored.recycled?.() ?? 0;
    return recycled > 0
      ? t("storage.recycled", { count: recycled, days: RECYCLE_BIN_RETENTION_DAYS })
      : t("retention.purged", { count: purged });
  };

  const apply = (c: RetentionSetting) =>
    load.run(async () => {
      await props.stored.setRetention(c);
      const purged = await props.stored.purgeNow();
      setMessage(purged > 0 ? purgedText(purged) : t("retention.saved"));
      props.onChanged();
    });

  const onApply = async () => {
    if (!choice || !inBounds) return;
    const count = await props.stored.countExpiring(choice);
    if (count > 0) setConfirm({ choice, count });
    else await apply(choice);
  };

  const purgeNow = () =>
    load.run(async () => {
      const purged = await props.stored.purgeNow();
      setMessage(purgedText(purged));
      props.onChanged();
    });

  return (
    <Panel id="retention-heading" title={t("retention.heading")} testId="retention-card">
      <Body1>{t("retention.explain")}</Body1>
      <Field label={t("retention.label")}>
        <RadioGroup
          value={value}
          onChange={(_, d) => setValue(d.value)}
          data-testid="retention-choice"
        >
          {PRESETS.filter((d) => !bounds || (d >= bounds.minDays && d <= bounds.maxDays)).map(
            (d) => (
              <Radio key={d} value={String(d)} label={t("retention.days", { days: d })} />
            ),
          )}
          <Radio value="custom" label={t("retention.custom")} />
          {(!bounds || bounds.allowForever) && (
            <Radio value="forever" label={t("retention.forever")} />
          )}
        </RadioGroup>
      </Field>
      {value === "custom" && (
        <Field
          label={t("retention.customDays")}
          validationState={customDays && !inBounds ? "error" : "none"}
          validationMessage={
            customDays && !inBounds && bounds
              ? t("retention.bounds", { min: bounds.minDays, max: bounds.maxDays })
              : undefined
          }
        >
          <Input
            type="number"
            value={customDays}
            onChange={(_, d) => setCustomDays(d.value)}
            data-testid="retention-custom-days"
          />
        </Field>
      )}
      {bounds && (
        <Caption1 className={panel.muted}>
          {t("retention.bounds", { min: bounds.minDays, max: bounds.maxDays })}
        </Caption1>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={!inBounds}
          onClick={() => void onApply()}
          data-testid="retention-apply"
        >
          {t("retention.apply")}
        </Button>
        <Button onClick={() => void purgeNow()} data-testid="purge-now">
          {t("retention.purgeNow")}
        </Button>
      </div>
      {message && (
        <Caption1 role="status" data-testid="retention-message">
          {message}
        </Caption1>
      )}
      <ErrorBar error={error} />
      <ConfirmDialog
        open={confirm !== null}
        title={t("retention.confirm.title", { count: confirm?.count ?? 0 })}
        body={t("retention.confirm.body", { count: confirm?.count ?? 0 })}
        confirm={t("retention.confirm.apply")}
        cancel={t("stored.confirm.cancel")}
        onConfirm={async () => {
          if (confirm) await apply(confirm.choice);
        }}
        onClose={() => setConfirm(null)}
      />
    </Panel>
  );
}
