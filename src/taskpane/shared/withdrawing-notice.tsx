import { Button, MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { useState } from "react";
import type { ConsentState } from "../../core/consent/consent.js";
import { useI18n } from "./i18n.js";

// Shown by the consent gate and by the Privacy view alike.
/** A withdrawal made here that the ledger does not hold yet: saving is stopped, say so. */
export function WithdrawingNotice(props: {
  state: ConsentState;
  /** Retries the withdrawal; without it, no retry button. */
  retry?: () => Promise<unknown>;
}) {
  const { t, errorText } = useI18n();
  const [busy, setBusy] = useState(false);
  const { state } = props;
  if (state.status !== "withdrawing") return null;
  const retry = () => {
    if (!props.retry) return;
    setBusy(true);
    props
      .retry()
      .catch(() => undefined)
      .finally(() => setBusy(false));
  };
  return (
    <MessageBar intent="warning" data-testid="consent-withdrawing" role="status">
      <MessageBarBody>
        <MessageBarTitle>{t("consent.withdrawing.title")}</MessageBarTitle>
        {t("consent.withdrawing.body")}
        {state.error && (
          <> {t("consent.withdrawing.failed", { reason: errorText(state.error) })}</>
        )}{" "}
        {props.retry && (
          <Button
            size="small"
            disabled={busy}
            onClick={retry}
            data-testid="consent-withdrawing-retry"
          >
            {t("consent.withdrawing.retry")}
          </Button>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
