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
import { useConsent, type ConsentView } from "./features/consent/use-consent.js";
import { MessageCard } from "./features/save/message-card.js";
import { useCurrentItem } from "./features/save/use-current-item.js";
import type { ProjectsFacade } from "./features/projects/facade.js";
import type { StoredViewProps } from "./features/stored/stored-view.js";
import type { PaneServices } from "./pane-services.js";
import { useI18n } from "./shared/i18n.js";
import { whenIdle } from "./shared/idle.js";
import { preloadable } from "./shared/preloadable.js";
import { TabBar, type TabId } from "./tab-bar.js";

const views = {
  privacy: () => import("./features/privacy/privacy-view.js"),
  activity: () => import("./features/activity/activity-view.js"),
  // The Stored view shows the projects feature's card: both come with the tab.
  stored: () =>
    Promise.all([
      import("./features/stored/stored-view.js"),
      import("./features/projects/projects-card.js"),
    ]),
  save: () => import("./features/save/save-panel.js"),
};
const PrivacyView = preloadable(() => views.privacy().then((m) => m.PrivacyView));
const PermissionsInUse = lazy(() =>
  import("./features/privacy/permissions-in-use.js").then((m) => ({ default: m.PermissionsInUse })),
);
const ActivityView = preloadable(() => views.activity().then((m) => m.ActivityView));
const StoredView = preloadable(() =>
  views.stored().then(
    ([stored, projects]) =>
      function StoredWithProjects(
        props: Omit<StoredViewProps, "projectsCard"> & { catalogue: ProjectsFacade },
      ) {
        return (
          <stored.StoredView
            {...props}
            projectsCard={(read) => <projects.ProjectsCard {...read} catalogue={props.catalogue} />}
          />
        );
      },
  ),
);
const SavePanel = preloadable(() => views.save().then((m) => m.SavePanel));

/**
 * Fetches the other views once the first one is up, so switching tabs waits neither on scripts
 * nor on a Suspense fallback.
 */
function prefetchViews(): void {
  whenIdle(() =>
    [PrivacyView, ActivityView, StoredView, SavePanel].forEach(
      (view) => void view.preload().catch(() => undefined),
    ),
  );
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

/** "Not now" was chosen: what that means, the policy, a way back to the choice, the message. */
function Declined(props: {
  policy: PaneServices["consent"]["policy"];
  item: ReturnType<typeof useCurrentItem>;
  onReview(): void;
}) {
  const { t } = useI18n();
  return (
    <>
      <MessageBar intent="info" data-testid="consent-declined">
        <MessageBarBody>
          <strong>{t("consent.declined.title")}</strong> {t("consent.declined.body")}
        </MessageBarBody>
      </MessageBar>
      <Link href={props.policy.url} target="_blank" rel="noopener noreferrer">
        {t("consent.policyLink", { version: props.policy.version })}
      </Link>
      <div>
        <Button onClick={props.onReview} data-testid="consent-review">
          {t("consent.declined.review")}
        </Button>
      </div>
      <MessageCard item={props.item} />
    </>
  );
}

/** The message tab: the consent gate until consent is given, then the message and its save panel. */
function MessagePanel(props: {
  services: PaneServices;
  view: ConsentView;
  reload(): void;
  item: ReturnType<typeof useCurrentItem>;
  declined: boolean;
  /** The first view is on screen: the save panel's code may be fetched. */
  shown: boolean;
  onDecline(): void;
  onReview(): void;
}) {
  const { t, errorText } = useI18n();
  const { services, view, reload, item, declined } = props;
  const { consent } = services;
  // "Allow" goes away with the form: focus then moves to the message that takes its place.
  const [allowedHere, setAllowedHere] = useState(false);
  if (view.phase === "loading") {
    return <Spinner size="small" label={t("consent.loading")} data-testid="consent-loading" />;
  } else if (view.phase === "failed") {
    return (
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
    return (
      <>
        <MessageCard item={item} focus={allowedHere} />
        {/* Not rendered before the first view is marked: its script comes after the card. */}
        {item.status === "message" && !props.shown && <Spinner size="tiny" />}
        {item.status === "message" && props.shown && (
          <Suspense fallback={<Spinner size="tiny" />}>
            <SavePanel
              message={item.message}
              saving={services.saving}
              projects={services.projects}
              otherMessages={services.otherMessages}
              grantedPurposes={purposes}
            />
          </Suspense>
        )}
      </>
    );
  } else if (declined) {
    return <Declined policy={consent.policy} item={item} onReview={props.onReview} />;
  } else {
    return (
      <ConsentForm
        state={view.state}
        policy={consent.policy}
        consent={consent}
        onAllow={async (purposes) => {
          // Set before the grant resolves: the message may show first, and focus must not jump
          // there after the user has tabbed on.
          setAllowedHere(true);
          try {
            await consent.grant(purposes);
          } catch (error) {
            setAllowedHere(false);
            throw error;
          }
        }}
        onNotNow={props.onDecline}
      />
    );
  }
}

/** Says when the org policy in force is not the admin's file (missing, or unusable). */
function OrgPolicyNotice(props: { org: PaneServices["orgPolicy"] }) {
  const { t } = useI18n();
  const { org } = props;
  if (org.source !== "defaults") return null;
  return (
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
  );
}

/** The Stored, Activity and Privacy tabs, each loaded when first opened. */
function OtherTab(props: {
  tab: Exclude<TabId, "message">;
  services: PaneServices;
  view: ConsentView;
  onReview(): void;
}) {
  const { t } = useI18n();
  const { tab, services, view } = props;
  return tab === "stored" ? (
    <Suspense fallback={<Spinner size="small" />}>
      <StoredView
        stored={services.stored}
        projects={services.projects}
        catalogue={services.projects}
      />
    </Suspense>
  ) : tab === "activity" ? (
    <Suspense fallback={<Spinner size="small" />}>
      <ActivityView activity={services.activity} projects={services.projects} />
    </Suspense>
  ) : view.phase === "ready" ? (
    <Suspense fallback={<Spinner size="small" />}>
      <PrivacyView
        privacy={services.privacy}
        state={view.state}
        onReviewPermissions={props.onReview}
      />
      <PermissionsInUse permissions={services.privacy.permissions} />
    </Suspense>
  ) : (
    <Body1>{t("consent.loading")}</Body1>
  );
}

/** Everything below the title: navigation, the consent gate, and the views. Loaded on demand. */
export function Shell(props: ShellProps) {
  const { services, onFirstView } = props;
  const styles = useStyles();
  const { t } = useI18n();
  const item = useCurrentItem(props.runtime);
  const { consent } = services;
  const { view, reload } = useConsent(consent);
  const [tab, setTab] = useState<TabId>("message");
  const [declined, setDeclined] = useState(false);
  const [shown, setShown] = useState(false);

  useEffect(() => {
    // The first useful view: the consent gate or the message, once the ledger has been read.
    if (view.phase === "loading" || shown) return;
    if (!performance.getEntriesByName("sept:first-view").length) {
      performance.mark("sept:first-view");
      onFirstView?.();
    }
    setShown(true);
    prefetchViews();
  }, [view.phase, shown, onFirstView]);

  const reviewPermissions = () => {
    setDeclined(false);
    setTab("message");
  };

  const messagePanel = (
    <MessagePanel
      services={services}
      view={view}
      reload={reload}
      item={item}
      declined={declined}
      shown={shown}
      onDecline={() => setDeclined(true)}
      onReview={reviewPermissions}
    />
  );

  return (
    <>
      <OrgPolicyNotice org={services.orgPolicy} />
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
        {tab === "message" ? null : (
          <OtherTab tab={tab} services={services} view={view} onReview={reviewPermissions} />
        )}
      </div>
    </>
  );
}
