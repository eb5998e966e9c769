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
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import type { RetentionBounds, StoredFacade } from "./facade.js";
import { PRESETS, useRetentionForm } from "./use-retention-form.js";

const useStyles = makeStyles({
  row: { display: "flex", gap: "8px", alignItems: "end", flexWrap: "wrap" },
});

/** The period to keep stored emails: the presets within bounds, custom, and forever if allowed. */
function RetentionChoice(props: {
  value: string;
  onValueChange(value: string): void;
  customDays: string;
  onCustomDaysChange(days: string): void;
  bounds: RetentionBounds | null;
  inBounds: boolean;
}) {
  const { t } = useI18n();
  const { value, customDays, bounds, inBounds } = props;
  return (
    <>
      <Field label={t("retention.label")}>
        <RadioGroup
          value={value}
          onChange={(_, d) => props.onValueChange(d.value)}
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
            onChange={(_, d) => props.onCustomDaysChange(d.value)}
            data-testid="retention-custom-days"
          />
        </Field>
      )}
    </>
  );
}

/** The retention setting (account settings, policy §5), with the org's bounds and a purge button. */
export function RetentionCard(props: { stored: StoredFacade; onChanged(): void }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t } = useI18n();
  const form = useRetentionForm(props.stored, props.onChanged);
  const { bounds, confirm } = form;

  return (
    <Panel id="retention-heading" title={t("retention.heading")} testId="retention-card">
      <Body1>{t("retention.explain")}</Body1>
      <RetentionChoice
        value={form.value}
        onValueChange={form.setValue}
        customDays={form.customDays}
        onCustomDaysChange={form.setCustomDays}
        bounds={bounds}
        inBounds={form.inBounds}
      />
      {bounds && (
        <Caption1 className={panel.muted}>
          {t("retention.bounds", { min: bounds.minDays, max: bounds.maxDays })}
        </Caption1>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={!form.inBounds}
          onClick={() => void form.onApply()}
          data-testid="retention-apply"
        >
          {t("retention.apply")}
        </Button>
        <Button onClick={() => void form.purgeNow()} data-testid="purge-now">
          {t("retention.purgeNow")}
        </Button>
      </div>
      {form.message && (
        <Caption1 role="status" data-testid="retention-message">
          {form.message}
        </Caption1>
      )}
      <ErrorBar error={form.error} />
      <ConfirmDialog
        open={confirm !== null}
        title={t("retention.confirm.title", { count: confirm?.count ?? 0 })}
        body={t("retention.confirm.body", { count: confirm?.count ?? 0 })}
        confirm={t("retention.confirm.apply")}
        cancel={t("stored.confirm.cancel")}
        onConfirm={async () => {
          if (confirm) await form.apply(confirm.choice);
        }}
        onClose={() => form.setConfirm(null)}
      />
    </Panel>
  );
}
