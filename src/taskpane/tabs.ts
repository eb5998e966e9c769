/** The pane's sections, in the order of the tab bar. */
export type TabId = "message" | "stored" | "activity" | "privacy";

export const TABS: readonly TabId[] = ["message", "stored", "activity", "privacy"];
