// What the privacy view says of consent: the current state, and the organisation's policy.
import { Body1, Subtitle2 } from "@fluentui/react-components";
import type { ConsentState, Purpose } from "../../../core/consent/consent.js";
import { useI18n, type I18n } from "../../shared/i18n.js";
import type { PrivacyFacade } from "./facade.js";

export function purposeList(purposes: readonly Purpose[], t: I18n["t"]): string {
  return purposes
    .map((p) => t(p === "email_metadata" ? "consent.granted.metadata" : "consent.granted.content"))
    .join(" + ");
}

export function CurrentConsent(props: { state: ConsentState }) {
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
export function OrgPolicySummary(props: { consent: PrivacyFacade["consent"] }) {
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
