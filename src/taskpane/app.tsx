import {
  FluentProvider,
  Spinner,
  Title3,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { Suspense, lazy, useEffect } from "react";
import type { Language } from "../core/i18n/index.js";
import type { ThemeMode } from "../adapters/office/appearance.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { I18nProvider, useI18n } from "./i18n.js";
import type { PaneServices } from "./pane-services.js";

// Only the frame is in the initial script; the shell, its views and Graph load right after.
const Shell = lazy(() => import("./shell.js").then((m) => ({ default: m.Shell })));

export interface AppProps {
  runtime: OfficeRuntime;
  services: PaneServices | Promise<PaneServices>;
  language: Language;
  theme: ThemeMode;
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

function Frame(props: Omit<AppProps, "language" | "theme">) {
  const styles = useStyles();
  const { t, language } = useI18n();
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t("app.title");
  }, [language, t]);
  return (
    <main className={styles.root} data-testid="taskpane">
      <Title3 as="h1" className={styles.title}>
        {t("app.title")}
      </Title3>
      <Suspense fallback={<Spinner size="small" label={t("app.loading")} />}>
        <Shell runtime={props.runtime} services={props.services} />
      </Suspense>
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
        <Frame runtime={props.runtime} services={props.services} />
      </I18nProvider>
    </FluentProvider>
  );
}
