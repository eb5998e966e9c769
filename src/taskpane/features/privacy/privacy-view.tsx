import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { ConsentRecord, ConsentState, Purpose } from "../../../core/consent/consent.js";
import { consentReceipt, type ReceiptParties } from "../../../core/consent/receipt.js";
import { downloadFile } from "../../shared/download.js";
import { useI18n, type I18n } from "../../shared/i18n.js";
import { ErrorBar } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { useLoad, type Loaded } from "../../shared/use-load.js";
import { WithdrawingNotice } from "../../shared/withdrawing-notice.js";
import { WithdrawDialog } from "./withdraw-dialog.js";
import type { PrivacyFacade } from "./facade.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px" },
  roomy: { gap: "8px" },
  entry: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "center",
    gap: "8px",
    padding: "8px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface PrivacyViewProps {
  privacy: PrivacyFacade;
  state: ConsentState;
  onReviewPermissions(): void;
}

function purposeList(purposes: readonly Purpose[], t: I18n["t"]): string {
  return purposes
    .map((p) => t(p === "email_metadata" ? "consent.granted.metadata" : "consent.granted.content"))
    .join(" + ");
}

function downloadReceipt(
  record: ConsentRecord,
  principalId: string,
  language: string,
  parties: ReceiptParties,
): void {
  const receipt = consentReceipt(record, { principalId, language }, parties);
  downloadFile(
    JSON.stringify(receipt, null, 2),
    `sept-consent-receipt-${record.id}.json`,
    "application/json",
  );
}

function CurrentConsent(props: { state: ConsentState }) {
  const { t, formatDate } = useI18n();
  const { state } = props;
  switch (state.status) {
    case "granted":
      return (
        <Body1 data-testid="privacy-current">
          {t("privacy.current.granted", {
            purposes: purposeList(state.purposes, t),
            date: formatDate(state.grant.grantedAt),
            version: state.grant.policyVersion,
          })}
        </Body1>
      );
    case "outdated":
      return (
        <Body1 data-testid="privacy-current">
          {t("privacy.current.outdated", { version: state.grant.policyVersion })}
        </Body1>
      );
    case "withdrawn":
      return (
        <Body1 data-testid="privacy-current">
          {t("privacy.current.withdrawn", { date: formatDate(state.withdrawal.withdrawnAt) })}
        </Body1>
      );
    case "withdrawing":
      return <Body1 data-testid="privacy-current">{t("privacy.current.withdrawing")}</Body1>;
    default:
      return <Body1 data-testid="privacy-current">{t("privacy.current.none")}</Body1>;
  }
}

/** Which organisation policy applies, and what it means for saving and for receipts. */
function OrgPolicySummary(props: { consent: PrivacyFacade["consent"] }) {
  const { t } = useI18n();
  const org = props.consent.org;
  const parties = props.consent.receiptParties();
  const source = !org
    ? null
    : org.fallback === "none"
      ? t("privacy.org.file")
      : org.fallback === "missing"
        ? t("privacy.org.missing")
        : t("privacy.org.restrictive");
  return (
    <div data-testid="privacy-org">
      <Subtitle2 as="h3">{t("privacy.org.title")}</Subtitle2>
      <ul>
        {source && <li>{source}</li>}
        <li>
          {props.consent.contentAllowed()
            ? t("privacy.org.content.allowed")
            : t("privacy.org.content.forbidden")}
        </li>
        <li>{t("privacy.org.policyVersion", { version: props.consent.policy.version })}</li>
        <li>
          {t("privacy.org.controller", {
            name: parties.controller.name,
            email: parties.controller.email,
            jurisdiction: parties.jurisdiction,
          })}
        </li>
        {parties.processor && (
          <li>{t("privacy.org.processor", { name: parties.processor.name })}</li>
        )}
      </ul>
    </div>
  );
}

/** Every consent record, newest first, each with its receipt to download. */
function ConsentHistory(props: { privacy: PrivacyFacade }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, language, formatDate } = useI18n();
  const { consent, principalId } = props.privacy;
  const history = [...consent.history()].reverse();
  if (history.length === 0) {
    return <Caption1 className={panel.muted}>{t("privacy.history.empty")}</Caption1>;
  }
  return (
    <ul className={mergeClasses(panel.list, styles.roomy)} data-testid="consent-history">
      {history.map((record) => {
        const at = record.kind === "grant" ? record.grantedAt : record.withdrawnAt;
        return (
          <li key={record.id} className={styles.entry} data-testid="consent-history-entry">
            <div>
              <Body1 block>
                {record.kind === "grant"
                  ? t("privacy.history.grant", { purposes: purposeList(record.purposes, t) })
                  : record.collection.method === "privacy_office"
                    ? t("privacy.history.byPrivacyOffice")
                    : t("privacy.history.withdrawal")}
              </Body1>
              <Caption1 className={panel.muted}>
                <time dateTime={at}>{formatDate(at)}</time> ·{" "}
                {t("privacy.history.policy", { version: record.policyVersion })}
              </Caption1>
            </div>
            <Button
              size="small"
              aria-label={t("privacy.receipt.label", { date: formatDate(at) })}
              onClick={() =>
                downloadReceipt(record, principalId, language, consent.receiptParties())
              }
              data-testid="receipt-download"
            >
              {t("privacy.receipt.download")}
            </Button>
          </li>
        );
      })}
    </ul>
  );
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
  const styles = useStyles();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [deleteNow, setDeleteNow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ deleted: number | null } | null>(null);
  const { error, run } = useLoad<never>();
  const { state, privacy } = props;
  const { consent } = privacy;
  const canWithdraw = state.status === "granted" || state.status === "outdated";

  const withdraw = async () => {
    setBusy(true);
    await run(async () => {
      try {
        await consent.withdraw();
        const deleted = deleteNow ? await privacy.deleteAllStoredEmails() : null;
        setDone({ deleted });
        setOpen(false);
      } catch (e) {
        // Not recorded: saving has stopped all the same; the notice below says so and retries.
        setOpen(false);
        if (consent.current().status !== "withdrawing") throw e;
      }
    });
    setBusy(false);
  };

  return (
    <section className={styles.root} aria-labelledby="privacy-title" data-testid="privacy-view">
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
        busy={busy}
        deleteNow={deleteNow}
        onDeleteNowChange={setDeleteNow}
        onOpenChange={setOpen}
        onConfirm={() => void withdraw()}
      />
    </section>
  );
}
