import { makeStyles, tokens } from "@fluentui/react-components";

/**
 * A view's column of sections, the bordered section every panel of the pane sits in, its
 * secondary text colour, a plain list.
 */
export const usePanelStyles = makeStyles({
  view: { display: "flex", flexDirection: "column", gap: "12px" },
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: "10px",
    padding: "12px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  /** A list without bullets or indent, one item under the other. */
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: "6px",
  },
});
