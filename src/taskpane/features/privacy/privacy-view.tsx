import {
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  Subtitle2,
} from "@fluentui/react-components";
import { useState } from "react";
import type { ConsentState } from "../../../core/consent/consent.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { useLoad, type Loaded } from "../../shared/use-load.js";
import { WithdrawingNotice } from "../../shared/withdrawing-notice.js";
import { ConsentHistory } from "./consent-history.js";
import { CurrentConsent, OrgPolicySummary } from "./consent-summary.js";
import type { PrivacyFacade } from "./facade.js";
import { WithdrawDialog } from "./withdraw-dialog.js";

export interface PrivacyViewProps {
  privacy: PrivacyFacade;
  state: ConsentState;
  onReviewPermissions(): void;
}

/** Signing out of SEPT, where the host lets it (MSAL); the note says what happened. */
function SignOut(props: { signOut: () => Promise<unknown>; run: Loaded<never>["run"] }) {
  const { t } = useI18n();
  const [note, setNote] = useState<string | null>(null);
  return (
    <div>
      <Button
        onClick={() =>
          void props.run(async () => {
            const result = await props.signOut();
            setNote(result === "host_managed" ? t("signin.hostManaged") : t("signin.signedOut"));
          })
        }
        data-testid="sign-out"
      >
        {t("signin.signOut")}
      </Button>
      {note && <Caption1 role="status">{note}</Caption1>}
    </div>
  );
}

/** Withdrawal, as easy as the grant: one button, one confirmation that says what will happen. */
export function PrivacyView(props: PrivacyViewProps) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [deleteNow, setDeleteNow] = useState(false);
  const [done, setDone] = useState<{ deleted: number | null } | null>(null);
  const { error, run } = useLoad<never>();
  const { state, privacy } = props;
  const { consent } = privacy;
  const canWithdraw = state.status === "granted" || state.status === "outdated";

  // The dialog closes when this ends, whether or not the withdrawal was recorded.
  const withdraw = async () => {
    await run(async () => {
      try {
        await consent.withdraw();
        const deleted = deleteNow ? await privacy.deleteAllStoredEmails() : null;
        setDone({ deleted });
      } catch (e) {
        // Not recorded: saving has stopped all the same; the notice below says so and retries.
        if (consent.current().status !== "withdrawing") throw e;
      }
    });
  };

  return (
    <section className={panel.view} aria-labelledby="privacy-title" data-testid="privacy-view">
      <Subtitle1 as="h2" id="privacy-title">
        {t("privacy.title")}
      </Subtitle1>
      <CurrentConsent state={state} />
      <WithdrawingNotice state={state} retry={() => consent.retryPending()} />
      {done && (
        <MessageBar intent="success" data-testid="withdraw-done" role="status">
          <MessageBarBody>
            {t("privacy.withdrawn.done")}
            {done.deleted !== null && (
              <> {t("privacy.withdrawn.deleted", { count: done.deleted })}</>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={error} testId="privacy-error" />
      <div>
        {canWithdraw ? (
          <Button appearance="primary" onClick={() => setOpen(true)} data-testid="privacy-withdraw">
            {t("privacy.withdraw")}
          </Button>
        ) : (
          <Button onClick={props.onReviewPermissions} data-testid="privacy-review">
            {t("privacy.review")}
          </Button>
        )}
      </div>
      <Link href={consent.policy.url} target="_blank" rel="noopener noreferrer">
        {t("privacy.policyLink", { version: consent.policy.version })}
      </Link>
      {privacy.signOut && <SignOut signOut={privacy.signOut} run={run} />}
      <OrgPolicySummary consent={consent} />
      <Subtitle2 as="h3">{t("privacy.history.title")}</Subtitle2>
      <ConsentHistory privacy={privacy} />
      <WithdrawDialog
        open={open}
        deleteNow={deleteNow}
        onDeleteNowChange={setDeleteNow}
        onClose={() => setOpen(false)}
        onConfirm={withdraw}
      />
    </section>
  );
}
