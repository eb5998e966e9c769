import { Caption1, Checkbox, Link, makeStyles, tokens } from "@fluentui/react-components";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { useI18n } from "../../shared/i18n.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { StoredEmail } from "./facade.js";
import { formatBytes } from "../../shared/format.js";
import { expiryText } from "./expiry.js";

const ROW_HEIGHT = 76;

const useStyles = makeStyles({
  scroller: {
    height: "min(60vh, 520px)",
    overflowY: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: {
    position: "absolute",
    left: 0,
    right: 0,
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: "4px",
    alignItems: "start",
    padding: "6px 8px",
    boxSizing: "border-box",
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  main: { display: "flex", flexDirection: "column", minWidth: 0 },
  subject: {
    textAlign: "start",
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
    display: "block",
  },
  meta: {
    color: tokens.colorNeutralForeground3,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
  },
});

/** A virtualised list: only the rows in view are in the DOM, so 100,000 emails scroll smoothly. */
export function StoredList(props: {
  entries: StoredEmail[];
  projects: ProjectOption[];
  selected: ReadonlySet<string>;
  now: number;
  /** The rows are about to change for a newer search, filter or sort. */
  busy?: boolean;
  onToggle(savedId: string): void;
  onOpen(savedId: string): void;
}) {
  const styles = useStyles();
  const { t, language, formatDate } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  return (
    <div
      ref={scroller}
      className={styles.scroller}
      role="list"
      aria-label={t("stored.count", { count: props.entries.length })}
      data-testid="stored-list"
      aria-busy={props.busy ?? false}
      tabIndex={0}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((row) => {
          const e = props.entries[row.index];
          if (!e) return null;
          const subject = e.subject || t("message.noSubject");
          return (
            <div
              key={e.savedId}
              role="listitem"
              className={styles.row}
              style={{ top: row.start, height: ROW_HEIGHT }}
              data-testid="stored-row"
              data-saved-id={e.savedId}
              aria-setsize={props.entries.length}
              aria-posinset={row.index + 1}
            >
              <Checkbox
                checked={props.selected.has(e.savedId)}
                onChange={() => props.onToggle(e.savedId)}
                aria-label={t("stored.select", { subject })}
              />
              <div className={styles.main}>
                <Link
                  as="button"
                  className={styles.subject}
                  onClick={() => props.onOpen(e.savedId)}
                >
                  {subject}
                </Link>
                <Caption1 className={styles.meta}>
                  {e.from ? e.from.name || e.from.address : ""} ·{" "}
                  {projectName(props.projects, e.projectId)} · {formatDate(e.savedAt)}
                </Caption1>
                <Caption1 className={styles.meta} data-testid="stored-expiry">
                  {e.contentStored
                    ? `${t("stored.withContent")} (${formatBytes(e.sizeBytes, language)})`
                    : t("stored.metadataOnly")}{" "}
                  · {expiryText(e.expiresAt, props.now, t)}
                </Caption1>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
