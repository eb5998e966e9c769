import { Combobox, Field, Option, type ComboboxProps } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { projectOptions } from "../../shared/panel.js";
import type { ProjectOption } from "../../shared/projects.js";
import { useI18n } from "../../shared/i18n.js";

const CREATE = "__create__";

/** A searchable project picker; typing a new name offers to create it. */
export function ProjectPicker(props: {
  projects: ProjectOption[];
  value: string | null;
  onChange(projectId: string): void;
  onCreate(name: string): Promise<void>;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const selected = props.projects.find((p) => p.id === props.value) ?? null;
  const [query, setQuery] = useState<string | null>(null);
  const text = query ?? selected?.name ?? "";
  const matches = useMemo(() => {
    const q = (query ?? "").trim().toLocaleLowerCase();
    return q
      ? props.projects.filter((p) => p.name.toLocaleLowerCase().includes(q))
      : props.projects;
  }, [props.projects, query]);
  const typed = (query ?? "").trim();
  const exact = props.projects.some(
    (p) => p.name.toLocaleLowerCase() === typed.toLocaleLowerCase(),
  );

  const onOptionSelect: ComboboxProps["onOptionSelect"] = (_, data) => {
    if (data.optionValue === CREATE) {
      setQuery(null);
      void props.onCreate(typed);
    } else if (data.optionValue) {
      setQuery(null);
      props.onChange(data.optionValue);
    }
  };

  return (
    <Field label={t("save.project")}>
      <Combobox
        freeform
        disabled={props.disabled}
        placeholder={t("save.projectPlaceholder")}
        value={text}
        selectedOptions={props.value ? [props.value] : []}
        onOptionSelect={onOptionSelect}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="project-picker"
      >
        {projectOptions(matches)}
        {typed && !exact ? (
          <Option value={CREATE} text={typed} data-testid="project-create">
            {t("save.projectCreate", { name: typed })}
          </Option>
        ) : null}
        {props.projects.length === 0 && !typed ? (
          <Option value="" text="" disabled>
            {t("save.projectsEmpty")}
          </Option>
        ) : null}
      </Combobox>
    </Field>
  );
}
