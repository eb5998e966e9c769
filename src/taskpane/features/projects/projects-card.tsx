import { Body1, Button, Caption1, Input, makeStyles } from "@fluentui/react-components";
import { useState } from "react";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type { ProjectOption } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import type { ProjectsFacade } from "./facade.js";

const useStyles = makeStyles({
  item: { display: "flex", gap: "8px", alignItems: "center", flexWrap: "wrap" },
  name: { flex: 1, minWidth: "120px" },
});

/** The project catalogue: rename and archive (projects are created from the save panel). */
export function ProjectsCard(props: {
  /** The catalogue as the view showing the card last read it (archived included). */
  projects: Array<ProjectOption & { archived: boolean }>;
  catalogue: Pick<ProjectsFacade, "rename" | "setArchived">;
  /** Re-reads the catalogue (and the list that shows project names). */
  onChanged(): void;
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t } = useI18n();
  const { projects } = props;
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const { error, run: guard } = useLoad();

  const run = async (action: () => Promise<void>) => {
    if (await guard(action)) setEditing(null);
    props.onChanged();
  };

  return (
    <Panel id="projects-heading" title={t("projects.heading")} testId="projects-card">
      {projects.length === 0 ? (
        <Body1 className={panel.muted}>{t("projects.empty")}</Body1>
      ) : (
        <ul className={panel.list}>
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
                    onClick={() => void run(() => props.catalogue.rename(p.id, editing.name))}
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
                    onClick={() => void run(() => props.catalogue.setArchived(p.id, !p.archived))}
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
      <ErrorBar error={error} />
    </Panel>
  );
}
