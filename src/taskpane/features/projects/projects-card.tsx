import {
  Body1,
  Button,
  Caption1,
  Input,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  makeStyles,
} from "@fluentui/react-components";
import { useState } from "react";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type { ProjectOption, SavingFacade } from "../../pane-services.js";

const useStyles = makeStyles({
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: "6px",
  },
  item: { display: "flex", gap: "8px", alignItems: "center", flexWrap: "wrap" },
  name: { flex: 1, minWidth: "120px" },
});

/** The project catalogue: rename and archive (projects are created from the save panel). */
export function ProjectsCard(props: {
  /** The catalogue as the Stored view last read it (archived included). */
  projects: Array<ProjectOption & { archived: boolean }>;
  saving: SavingFacade;
  /** Re-reads the catalogue (and the list that shows project names). */
  onChanged(): void;
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, errorText } = useI18n();
  const { projects } = props;
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<SeptError | null>(null);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      setEditing(null);
    } catch (e) {
      setError(toSeptError(e));
    }
    props.onChanged();
  };

  return (
    <section className={panel.panel} aria-labelledby="projects-heading" data-testid="projects-card">
      <Subtitle2 as="h3" id="projects-heading">
        {t("projects.heading")}
      </Subtitle2>
      {projects.length === 0 ? (
        <Body1 className={panel.muted}>{t("projects.empty")}</Body1>
      ) : (
        <ul className={styles.list}>
          {projects.map((p) => (
            <li key={p.id} className={styles.item} data-testid="project-item">
              {editing?.id === p.id ? (
                <>
                  <Input
                    className={styles.name}
                    value={editing.name}
                    aria-label={t("projects.renameLabel", { name: p.name })}
                    onChange={(_, d) => setEditing({ id: p.id, name: d.value })}
                    data-testid="project-rename-input"
                  />
                  <Button
                    appearance="primary"
                    onClick={() => void run(() => props.saving.renameProject(p.id, editing.name))}
                    data-testid="project-rename-save"
                  >
                    {t("projects.renameSave")}
                  </Button>
                  <Button onClick={() => setEditing(null)}>{t("projects.cancel")}</Button>
                </>
              ) : (
                <>
                  <Body1 className={styles.name}>
                    {p.name}
                    {p.archived && (
                      <Caption1 className={panel.muted}> ({t("projects.archived")})</Caption1>
                    )}
                  </Body1>
                  <Button size="small" onClick={() => setEditing({ id: p.id, name: p.name })}>
                    {t("projects.rename")}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => void run(() => props.saving.archiveProject(p.id, !p.archived))}
                    data-testid="project-archive"
                  >
                    {p.archived ? t("projects.unarchive") : t("projects.archive")}
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(error)}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
