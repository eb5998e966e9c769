import { makeStyles, tokens } from "@fluentui/react-components";

/** The bordered section every panel of the pane sits in, and its secondary text colour. */
export const usePanelStyles = makeStyles({
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: "10px",
    padding: "12px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});
