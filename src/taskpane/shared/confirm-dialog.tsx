import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
} from "@fluentui/react-components";
import { useState, type ReactNode } from "react";

/** Confirmation before anything destructive: says what goes, then does it. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  body: ReactNode;
  confirm: string;
  cancel: string;
  /** Said beside the spinner while `onConfirm` runs. */
  busyLabel?: string;
  /** Test ids of the dialog and of its confirm button. */
  testIds?: { dialog: string; confirm: string };
  onConfirm(): Promise<void>;
  onClose(): void;
}) {
  const [busy, setBusy] = useState(false);
  const testIds = props.testIds ?? { dialog: "confirm-dialog", confirm: "confirm-yes" };
  const run = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      props.onClose();
    }
  };
  return (
    <Dialog
      open={props.open}
      onOpenChange={(_, d) => !busy && !d.open && props.onClose()}
      modalType="alert"
    >
      <DialogSurface data-testid={testIds.dialog}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.body}</DialogContent>
          <DialogActions>
            <Button disabled={busy} onClick={props.onClose}>
              {props.cancel}
            </Button>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => void run()}
              data-testid={testIds.confirm}
            >
              {props.confirm}
            </Button>
            {busy && <Spinner size="tiny" label={props.busyLabel} />}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
