import { Checkbox, makeStyles } from "@fluentui/react-components";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { useI18n } from "../../shared/i18n.js";

const useStyles = makeStyles({
  effects: { margin: 0, paddingLeft: "20px", display: "flex", flexDirection: "column", gap: "6px" },
});

/** What a withdrawal does, in the order the dialog says it. */
const EFFECTS = [
  "privacy.dialog.stop",
  "privacy.dialog.keep",
  "privacy.dialog.signout",
  "privacy.dialog.signin",
] as const;

/** The confirmation of a withdrawal: what will happen, and whether to delete stored emails too. */
export function WithdrawDialog(props: {
  open: boolean;
  deleteNow: boolean;
  onDeleteNowChange(deleteNow: boolean): void;
  onClose(): void;
  onConfirm(): Promise<void>;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <ConfirmDialog
      open={props.open}
      title={t("privacy.dialog.title")}
      body={
        <>
          <ul className={styles.effects}>
            {EFFECTS.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
          <Checkbox
            checked={props.deleteNow}
            onChange={(_, d) => props.onDeleteNowChange(Boolean(d.checked))}
            label={t("privacy.dialog.deleteNow")}
            data-testid="withdraw-delete-now"
          />
        </>
      }
      confirm={t("privacy.dialog.confirm")}
      cancel={t("privacy.dialog.cancel")}
      busyLabel={t("privacy.withdrawing")}
      testIds={{ dialog: "withdraw-dialog", confirm: "withdraw-confirm" }}
      onConfirm={props.onConfirm}
      onClose={props.onClose}
    />
  );
}
