import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  makeStyles,
} from "@fluentui/react-components";
import { useI18n } from "../../shared/i18n.js";

const useStyles = makeStyles({
  effects: { margin: 0, paddingLeft: "20px", display: "flex", flexDirection: "column", gap: "6px" },
});

/** The confirmation of a withdrawal: what will happen, and whether to delete stored emails too. */
export function WithdrawDialog(props: {
  open: boolean;
  busy: boolean;
  deleteNow: boolean;
  onDeleteNowChange(deleteNow: boolean): void;
  onOpenChange(open: boolean): void;
  onConfirm(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { busy } = props;
  return (
    <Dialog
      open={props.open}
      onOpenChange={(_, d) => !busy && props.onOpenChange(d.open)}
      modalType="alert"
    >
      <DialogSurface data-testid="withdraw-dialog">
        <DialogBody>
          <DialogTitle>{t("privacy.dialog.title")}</DialogTitle>
          <DialogContent>
            <ul className={styles.effects}>
              <li>{t("privacy.dialog.stop")}</li>
              <li>{t("privacy.dialog.keep")}</li>
              <li>{t("privacy.dialog.signout")}</li>
              <li>{t("privacy.dialog.signin")}</li>
            </ul>
            <Checkbox
              checked={props.deleteNow}
              onChange={(_, d) => props.onDeleteNowChange(Boolean(d.checked))}
              label={t("privacy.dialog.deleteNow")}
              data-testid="withdraw-delete-now"
            />
          </DialogContent>
          <DialogActions>
            <Button
              appearance="secondary"
              disabled={busy}
              onClick={() => props.onOpenChange(false)}
            >
              {t("privacy.dialog.cancel")}
            </Button>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={props.onConfirm}
              data-testid="withdraw-confirm"
            >
              {t("privacy.dialog.confirm")}
            </Button>
            {busy && <Spinner size="tiny" label={t("privacy.withdrawing")} />}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
