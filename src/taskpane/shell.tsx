import {
  Body1,
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  makeStyles,
} from "@fluentui/react-components";
import { Suspense, lazy, use, useEffect, useState } from "react";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { ConsentForm } from "./consent/consent-form.js";
import { useI18n } from "./i18n.js";
import { MessageCard } from "./message-card.js";
import type { PaneServices } from "./pane-services.js";
import { useConsent } from "./use-consent.js";
import { useCurrentItem } from "./use-current-item.js";

const PrivacyView = lazy(() =>
  import("./privacy/privacy-view.js").then((m) => ({ default: m.PrivacyView })),
);

type TabId = "message" | "privacy";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: "12px" },
});

export interface ShellProps {
  runtime: OfficeRuntime;
  services: PaneServices | Promise<PaneServices>;
}

/** Everything below the title: navigation, the consent gate, and the views. Loaded on demand. */
export function Shell(props: ShellProps) {
  const services = props.services instanceof Promise ? use(props.services) : props.services;
  const styles = useStyles();
  const { t, errorText } = useI18n();
  const item = useCurrentItem(props.runtime);
  const { consent } = services;
  const { view, reload } = useConsent(consent);
  const [tab, setTab] = useState<TabId>("message");
  const [declined, setDeclined] = useState(false);

  useEffect(() => {
    // The first useful view: the consent gate or the message, once the ledger has been read.
    if (view.phase !== "loading" && !performance.getEntriesByName("sept:first-view").length) {
      performance.mark("sept:first-view");
    }
  }, [view.phase]);

  const reviewPermissions = () => {
    setDeclined(false);
    setTab("message");
  };

  let messagePanel;
  if (view.phase === "loading") {
    messagePanel = (
      <Spinner size="small" label={t("consent.loading")} data-testid="consent-loading" />
    );
  } else if (view.phase === "failed") {
    messagePanel = (
      <MessageBar intent="error" data-testid="consent-load-failed">
        <MessageBarBody>
          {t("consent.loadFailed", { reason: errorText(view.error) })}{" "}
          <Button size="small" onClick={reload}>
            {t("consent.retry")}
          </Button>
        </MessageBarBody>
      </MessageBar>
    );
  } else if (view.state.status === "granted") {
    messagePanel = <MessageCard item={item} />;
  } else if (declined) {
    messagePanel = (
      <>
        <MessageBar intent="info" data-testid="consent-declined">
          <MessageBarBody>
            <strong>{t("consent.declined.title")}</strong> {t("consent.declined.body")}
          </MessageBarBody>
        </MessageBar>
        <Link href={consent.policy.url} target="_blank" rel="noopener noreferrer">
          {t("consent.policyLink", { version: consent.policy.version })}
        </Link>
        <div>
          <Button onClick={reviewPermissions} data-testid="consent-review">
            {t("consent.declined.review")}
          </Button>
        </div>
        <MessageCard item={item} />
      </>
    );
  } else {
    messagePanel = (
      <ConsentForm
        state={view.state}
        policy={consent.policy}
        onAllow={async (purposes) => {
          await consent.grant(purposes);
        }}
        onNotNow={() => setDeclined(true)}
      />
    );
  }

  return (
    <>
      <TabList
        selectedValue={tab}
        onTabSelect={(_, d) => setTab(d.value as TabId)}
        aria-label={t("nav.label")}
      >
        <Tab value="message" data-testid="tab-message">
          {t("nav.message")}
        </Tab>
        <Tab value="privacy" data-testid="tab-privacy">
          {t("nav.privacy")}
        </Tab>
      </TabList>
      <div
        className={styles.panel}
        role="tabpanel"
        aria-label={t(tab === "message" ? "nav.message" : "nav.privacy")}
      >
        {tab === "message" ? (
          messagePanel
        ) : view.phase === "ready" ? (
          <Suspense fallback={<Spinner size="small" />}>
            <PrivacyView
              consent={consent}
              state={view.state}
              principalId={services.principalId}
              deleteAllStoredEmails={services.deleteAllStoredEmails}
              onReviewPermissions={reviewPermissions}
            />
          </Suspense>
        ) : (
          <Body1>{t("consent.loading")}</Body1>
        )}
      </div>
    </>
  );
}
