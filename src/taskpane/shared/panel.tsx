import { MessageBar, MessageBarBody, Option, Subtitle2 } from "@fluentui/react-components";
import type { ReactNode } from "react";
import type { SeptError } from "../../core/errors.js";
import { useI18n } from "./i18n.js";
import { usePanelStyles } from "./panel-styles.js";
import type { ProjectOption } from "./projects.js";

/** A bordered panel with its heading; `id` names the heading, which labels the section. */
export function Panel(props: {
  id: string;
  title: string;
  testId: string;
  /** The heading's level: h3 for a panel inside a view (the default), h2 for a top-level one. */
  level?: "h2" | "h3";
  children?: ReactNode;
}) {
  const panel = usePanelStyles();
  return (
    <section className={panel.panel} aria-labelledby={props.id} data-testid={props.testId}>
      <Subtitle2 as={props.level ?? "h3"} id={props.id}>
        {props.title}
      </Subtitle2>
      {props.children}
    </section>
  );
}

/** A view's failure, in the user's language; nothing when there is none. */
export function ErrorBar(props: { error: SeptError | null; testId?: string }) {
  const { errorText } = useI18n();
  if (!props.error) return null;
  return (
    <MessageBar intent="error" data-testid={props.testId}>
      <MessageBarBody>{errorText(props.error)}</MessageBarBody>
    </MessageBar>
  );
}

/** The options of a project dropdown (pickers and filters), each shown by name. */
export function projectOptions(projects: readonly ProjectOption[]): ReactNode[] {
  return projects.map((p) => (
    <Option key={p.id} value={p.id} text={p.name}>
      {p.name}
    </Option>
  ));
}
