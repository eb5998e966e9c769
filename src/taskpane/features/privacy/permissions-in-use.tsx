import { Body1, Caption1, makeStyles } from "@fluentui/react-components";
import { useI18n } from "../../shared/i18n.js";
import { Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type { PermissionsInUse as Permissions } from "./facade.js";

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: "20px", display: "flex", flexDirection: "column", gap: "6px" },
});

/**
 * Which permissions SEPT holds and why, and whether Mail.Read has been asked for in this
 * session: read from what the sign-in was really asked, not from a fixed text.
 */
export function PermissionsInUse(props: { permissions: () => Permissions }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t } = useI18n();
  const { scopesAsked, hostReadsItem } = props.permissions();
  const mailRead = scopesAsked.includes("Mail.Read");
  return (
    <Panel id="permissions-heading" title={t("permissions.heading")} testId="permissions">
      <Caption1 className={panel.muted}>{t("permissions.intro")}</Caption1>
      <ul className={styles.list}>
        <li>
          <Body1>{t("permissions.readItem")}</Body1>
        </li>
        <li>
          <Body1>{t("permissions.userRead")}</Body1>
        </li>
        <li>
          <Body1>{t("permissions.files")}</Body1>
        </li>
        <li data-testid="permissions-mail-read" data-in-use={String(mailRead)}>
          <Body1>
            {t("permissions.mailRead")}{" "}
            <strong>
              {t(mailRead ? "permissions.mailRead.used" : "permissions.mailRead.unused")}
            </strong>
          </Body1>
        </li>
      </ul>
      <Caption1 data-testid="permissions-host">
        {t(hostReadsItem ? "permissions.host.current" : "permissions.host.older")}
      </Caption1>
      <Caption1 className={panel.muted}>{t("permissions.notAsked")}</Caption1>
    </Panel>
  );
}
