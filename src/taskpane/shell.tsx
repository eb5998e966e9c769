import {
  Body1,
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  makeStyles,
  mergeClasses,
} from "@fluentui/react-components";
import { Suspense, lazy, useEffect, useState } from "react";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { ConsentForm } from "./features/consent/consent-form.js";
import { useI18n } from "./shared/i18n.js";
import { MessageCard } from "./features/save/message-card.js";
import { TabBar, type TabId } from "./tab-bar.js";
import type { PaneServices } from "./pane-services.js";
import { useConsent } from "./features/consent/use-consent.js";
import { useCurrentItem } from "./features/save/use-current-item.js";

const views = {
  privacy: () => import("./features/privacy/privacy-view.js"),
  activity: () => import("./features/activity/activity-view.js"),
  stored: () => import("./features/stored/stored-view.js"),
  save: () => import("./features/save/save-panel.js"),
};
const PrivacyView = lazy(() => views.privacy().then((m) => ({ default: m.PrivacyView })));
const PermissionsInUse = lazy(() =>
  import("./features/privacy/permissions-in-use.js").then((m) => ({ default: m.PermissionsInUse })),
);
const ActivityView = lazy(() => views.activity().then((m) => ({ default: m.ActivityView })));
const StoredView = lazy(() => views.stored().then((m) => ({ default: m.StoredView })));
const SavePanel = lazy(() => views.save().then((m) => ({ default: m.SavePanel })));

/** Fetches the other views once the first one is up, so switching tabs does not wait on scripts. */
function prefetchViews(): void {
  const load = () => Object.values(views).forEach((view) => void view().catch(() => undefined));
  if ("requestIdleCallback" in window) window.requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 500);
}

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: "12px" },
  // The class's display would otherwise win over the hidden attribute.
  hidden: { display: "none" },
});

export interface ShellProps {
  runtime: OfficeRuntime;
  services: PaneServices;
  /** Called once the first useful view is on screen (starts housekeeping). */
  onFirstView?: () => void;
}

/** Everything below the title: navigation, the consent gate, and the views. Loaded on demand. */
export function Shell(props: ShellProps) {
  const { services, onFirstView } = props;
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
      onFirstView?.();
      prefetchViews();
    }
  }, [view.phase, onFirstView]);

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
    const purposes = view.state.purposes;
    messagePanel = (
      <>
        <MessageCard item={item} />
        {item.status === "message" && (
          <Suspense fallback={<Spinner size="tiny" />}>
            <SavePanel
              message={item.message}
              saving={services.saving}
              otherMessages={services.otherMessages}
              grantedPurposes={purposes}
            />
          </Suspense>
        )}
      </>
    );
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
        consent={consent}
        onAllow={async (purposes) => {
          await consent.grant(purposes);
        }}
        onNotNow={() => setDeclined(true)}
      />
    );
  }

  const org = services.orgPolicy;
  return (
    <>
      {org.source === "defaults" && (
        <MessageBar
          intent={org.fallback === "restrictive" ? "warning" : "info"}
          data-testid="org-policy-notice"
        >
          <MessageBarBody>
            {org.fallback === "restrictive"
              ? t("orgPolicy.restrictive")
              : t("orgPolicy.fromDefaults", { reason: org.problems.join(" ") })}
            {org.fallback === "restrictive" && org.problems.length > 0 && (
              <ul>
                {org.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      <TabBar selected={tab} onSelect={setTab} />
      {/* The message view stays mounted while another tab is open, so a save of several
          messages goes on (and a withdrawal in the Privacy tab stops it, as that view says). */}
      <div
        className={mergeClasses(styles.panel, tab !== "message" && styles.hidden)}
        role="tabpanel"
        aria-label={t("nav.message")}
        hidden={tab !== "message"}
      >
        {messagePanel}
      </div>
      <div
        className={mergeClasses(styles.panel, tab === "message" && styles.hidden)}
        role="tabpanel"
        aria-label={t(`nav.${tab}`)}
        hidden={tab === "message"}
      >
        {tab === "message" ? null : tab === "stored" ? (
          <Suspense fallback={<Spinner size="small" />}>
            <StoredView stored={services.stored} saving={services.saving} />
          </Suspense>
        ) : tab === "activity" ? (
          <Suspense fallback={<Spinner size="small" />}>
            <ActivityView activity={services.activity} projects={services.saving.projects} />
          </Suspense>
        ) : view.phase === "ready" ? (
          <Suspense fallback={<Spinner size="small" />}>
            <PrivacyView
              consent={consent}
              state={view.state}
              principalId={services.principalId}
              deleteAllStoredEmails={services.deleteAllStoredEmails}
              {...(services.signOut ? { signOut: services.signOut } : {})}
              onReviewPermissions={reviewPermissions}
            />
            <PermissionsInUse permissions={services.permissions} />
          </Suspense>
        ) : (
          <Body1>{t("consent.loading")}</Body1>
        )}
      </div>
    </>
  );
}
