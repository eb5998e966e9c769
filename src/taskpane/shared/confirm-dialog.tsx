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
import { useState } from "react";

/** Confirmation before anything destructive: says what goes, then does it. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  body: string;
  confirm: string;
  cancel: string;
  onConfirm(): Promise<void>;
  onClose(): void;
}) {
  const [busy, setBusy] = useState(false);
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
      <DialogSurface data-testid="confirm-dialog">
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
              data-testid="confirm-yes"
            >
              {props.confirm}
            </Button>
            {busy && <Spinner size="tiny" />}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
