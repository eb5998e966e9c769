import {
  FluentProvider,
  Title3,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { useEffect } from "react";
import type { Language } from "../core/i18n/index.js";
import type { ThemeMode } from "../adapters/office/appearance.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { I18nProvider, useI18n } from "./i18n.js";
import { MessageCard } from "./message-card.js";
import { useCurrentItem } from "./use-current-item.js";

export interface AppProps {
  runtime: OfficeRuntime;
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

function Shell(props: { runtime: OfficeRuntime }) {
  const styles = useStyles();
  const { t, language } = useI18n();
  const item = useCurrentItem(props.runtime);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t("app.title");
    performance.mark("sept:first-view");
  }, [language, t]);
  return (
    <main className={styles.root} data-testid="taskpane">
      <Title3 as="h1" className={styles.title}>
        {t("app.title")}
      </Title3>
      <section aria-label={t("message.heading")}>
        <MessageCard item={item} />
      </section>
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
        <Shell runtime={props.runtime} />
      </I18nProvider>
    </FluentProvider>
  );
}
