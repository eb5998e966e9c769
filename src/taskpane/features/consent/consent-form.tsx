import {
  Body1,
  Button,
  Checkbox,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { ConsentState, Purpose } from "../../../core/consent/consent.js";
import type { PrivacyPolicy } from "../../../core/consent/policy.js";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { useLoad } from "../../shared/use-load.js";
import { WithdrawingNotice } from "../../shared/withdrawing-notice.js";
import type { ConsentFacade } from "./facade.js";

const useStyles = makeStyles({
  facts: { margin: 0, paddingLeft: "20px", display: "flex", flexDirection: "column", gap: "4px" },
  choices: {
    border: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: "8px",
  },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: "4px" },
  help: { display: "block", color: tokens.colorNeutralForeground3, paddingLeft: "32px" },
  actions: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "center" },
  hint: { color: tokens.colorNeutralForeground3 },
});

/** One purpose to tick (test id `consent-{purpose}`), with the help text that describes it. */
function PurposeChoice(props: {
  purpose: "metadata" | "content";
  checked: boolean;
  disabled?: boolean;
  onChange(checked: boolean): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const id = `consent-${props.purpose}`;
  return (
    <div>
      <Checkbox
        data-testid={id}
        checked={props.checked}
        disabled={props.disabled ?? false}
        onChange={(_, d) => props.onChange(Boolean(d.checked))}
        label={t(`consent.${props.purpose}.label`)}
        aria-describedby={`${id}-help`}
      />
      <Body1 id={`${id}-help`} className={styles.help}>
        {t(`consent.${props.purpose}.help`)}
      </Body1>
    </div>
  );
}

export interface ConsentFormProps {
  state: ConsentState;
  policy: PrivacyPolicy;
  onAllow(purposes: Purpose[]): Promise<void>;
  onNotNow(): void;
  /**
   * The consent service, for what the organisation allows, who withdrew, and retrying a pending
   * withdrawal. Without it the form offers both choices (the service still refuses content the
   * organisation forbids).
   */
  consent?: ConsentFacade;
}

/** Why saving stopped, when the ledger says withdrawn: here, elsewhere, or the privacy office. */
function WithdrawnNotice(props: { state: ConsentState; consent?: ConsentFacade }) {
  const { t, formatDate } = useI18n();
  const { state, consent } = props;
  if (state.status !== "withdrawn") return null;
  const { withdrawal } = state;
  const date = formatDate(withdrawal.withdrawnAt);
  let text = t("consent.withdrawn.body", { date });
  if (withdrawal.collection.method === "privacy_office") {
    text = t("consent.withdrawn.privacyOffice", {
      date,
      requested: formatDate(withdrawal.collection.requestedAt),
    });
  } else if (consent && !consent.isOwnRecord(withdrawal.id)) {
    text = t("consent.withdrawn.elsewhere", { date });
  }
  return (
    <MessageBar intent="info" data-testid="consent-withdrawn">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}

/** What changed in the policy since the user's grant. */
function OutdatedNotice(props: { policy: PrivacyPolicy }) {
  const { t, language } = useI18n();
  const { policy } = props;
  return (
    <MessageBar intent="warning" data-testid="consent-outdated">
      <MessageBarBody>
        {t("consent.outdated.body", { version: policy.version })}
        {policy.changes.length > 0 ? (
          <ul data-testid="policy-changes">
            {policy.changes.map((change) => (
              <li key={change.en}>{change[language]}</li>
            ))}
          </ul>
        ) : (
          <> {t("consent.outdated.noSummary")}</>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

/** The two purposes; content only with metadata, and only where the organisation allows it. */
function PurposeChoices(props: {
  metadata: boolean;
  content: boolean;
  contentOffered: boolean;
  onMetadataChange(checked: boolean): void;
  onContentChange(checked: boolean): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <fieldset className={styles.choices}>
      <legend className={styles.legend}>{t("consent.choose")}</legend>
      <PurposeChoice
        purpose="metadata"
        checked={props.metadata}
        onChange={props.onMetadataChange}
      />
      {props.contentOffered ? (
        <PurposeChoice
          purpose="content"
          checked={props.content}
          disabled={!props.metadata}
          onChange={props.onContentChange}
        />
      ) : (
        <Body1 className={styles.help} data-testid="consent-content-forbidden">
          {t("consent.content.orgForbids")}
        </Body1>
      )}
    </fieldset>
  );
}

const FACTS = [
  "consent.why",
  "consent.where",
  "consent.howLong",
  "consent.who",
  "consent.withdrawInfo",
] as const;

/** Why, where, how long, who, and how to withdraw; then the policy itself. */
function ConsentFacts(props: { policy: PrivacyPolicy }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <>
      <ul className={styles.facts}>
        {FACTS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <Link
        href={props.policy.url}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="policy-link"
      >
        {t("consent.policyLink", { version: props.policy.version })}
      </Link>
    </>
  );
}

/** First run and policy changes: two unticked choices, in plain language, nothing pre-selected. */
export function ConsentForm(props: ConsentFormProps) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, errorText } = useI18n();
  const [metadata, setMetadata] = useState(false);
  const [content, setContent] = useState(false);
  const [busy, setBusy] = useState(false);
  const { error, run } = useLoad();
  const { state, policy, consent } = props;
  const contentOffered = consent?.contentAllowed() ?? true;

  const allow = async () => {
    setBusy(true);
    await run(() =>
      props.onAllow(
        content && contentOffered ? ["email_metadata", "email_content"] : ["email_metadata"],
      ),
    );
    setBusy(false);
  };

  return (
    <section className={panel.view} aria-labelledby="consent-title" data-testid="consent-view">
      <Subtitle1 as="h2" id="consent-title">
        {state.status === "outdated" ? t("consent.outdated.title") : t("consent.title")}
      </Subtitle1>
      {state.status === "outdated" && <OutdatedNotice policy={policy} />}
      <WithdrawnNotice state={state} {...(props.consent ? { consent: props.consent } : {})} />
      <WithdrawingNotice
        state={state}
        {...(consent ? { retry: () => consent.retryPending() } : {})}
      />
      <Body1>{t("consent.intro")}</Body1>
      <PurposeChoices
        metadata={metadata}
        content={content}
        contentOffered={contentOffered}
        onMetadataChange={(checked) => {
          setMetadata(checked);
          if (!checked) setContent(false);
        }}
        onContentChange={setContent}
      />
      <ConsentFacts policy={policy} />
      {error && (
        <MessageBar intent="error" data-testid="consent-error">
          <MessageBarBody>
            <MessageBarTitle>{errorText(error)}</MessageBarTitle>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={!metadata || busy}
          onClick={() => void allow()}
          data-testid="consent-allow"
          aria-describedby={metadata ? undefined : "consent-allow-hint"}
        >
          {t("consent.allow")}
        </Button>
        <Button disabled={busy} onClick={props.onNotNow} data-testid="consent-not-now">
          {t("consent.notNow")}
        </Button>
        {busy && <Spinner size="tiny" label={t("consent.saving")} />}
      </div>
      {!metadata && (
        <Body1 id="consent-allow-hint" className={styles.hint}>
          {t("consent.allowHint")}
        </Body1>
      )}
    </section>
  );
}
