import {
  FluentProvider,
  Body1,
  Title3,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { Language } from "../core/i18n/index.js";
import type { ThemeMode } from "../adapters/office/appearance.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { I18nProvider, useI18n } from "./shared/i18n.js";
import type { PaneServices } from "./pane-services.js";

import { Shell } from "./shell.js";

// The frame and the shell (the consent gate and the message view) come in one script, evaluated
// once the services have started the consent ledger's read (index.tsx, view.tsx). The shell is
// shown once the services are composed; not through React.lazy: Suspense holds a revealed
// boundary back for up to 300 ms, which the first view of a task pane should not wait for.

export interface AppProps {
  runtime: OfficeRuntime;
  services: PaneServices | Promise<PaneServices>;
  language: Language;
  theme: ThemeMode;
  /** Called once the first useful view (consent gate or message) is on screen. */
  onFirstView?: () => void;
}

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: "12px",
    display: "flex",
    flexDirection: "column",
    gap: "12px",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  title: { margin: 0 },
});

function useServices(services: AppProps["services"]) {
  // Composed already (index.tsx waits for them): the first render shows the shell.
  const [loaded, setLoaded] = useState(services instanceof Promise ? null : services);
  useEffect(() => {
    let live = true;
    void Promise.resolve(services).then((ready) => {
      if (live) setLoaded(ready);
    });
    return () => {
      live = false;
    };
  }, [services]);
  return loaded;
}

function Frame(props: Omit<AppProps, "language" | "theme">) {
  const styles = useStyles();
  const { t, language } = useI18n();
  const services = useServices(props.services);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t("app.title");
  }, [language, t]);
  return (
    <main className={styles.root} data-testid="taskpane">
      <Title3 as="h1" className={styles.title}>
        {t("app.title")}
      </Title3>
      {services ? (
        <Shell
          runtime={props.runtime}
          services={services}
          {...(props.onFirstView ? { onFirstView: props.onFirstView } : {})}
        />
      ) : (
        <Body1 role="status">{t("app.loading")}</Body1>
      )}
    </main>
  );
}

export function App(props: AppProps) {
  return (
    <FluentProvider
      theme={props.theme === "dark" ? webDarkTheme : webLightTheme}
      data-theme={props.theme}
    >
      <I18nProvider language={props.language}>
        <Frame
          runtime={props.runtime}
          services={props.services}
          {...(props.onFirstView ? { onFirstView: props.onFirstView } : {})}
        />
      </I18nProvider>
    </FluentProvider>
  );
}
