// The consent history of the privacy view: every record, each with its receipt to download.
import {
  Body1,
  Button,
  Caption1,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import type { ConsentRecord } from "../../../core/consent/consent.js";
import { consentReceipt, type ReceiptParties } from "../../../core/consent/receipt.js";
import { downloadFile } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { purposeList } from "./consent-summary.js";
import type { PrivacyFacade } from "./facade.js";

const useStyles = makeStyles({
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

/** Every consent record, newest first, each with its receipt to download. */
export function ConsentHistory(props: { privacy: PrivacyFacade }) {
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
