// The pane's sections as tabs that fit any pane width: Outlook's task pane can be 320 px wide, and
// French labels do not all fit at that width. Tabs that do not fit move, in order, into a "more"
// menu at the end of the tab list (Fluent UI's Overflow); the selected tab always stays in view.
// Small tabs (6 px padding instead of 10) keep all four English tabs in a 360 px pane.
import {
  Button,
  Overflow,
  OverflowItem,
  Tab,
  TabList,
  makeStyles,
  useOverflowMenu,
} from "@fluentui/react-components";
import { useEffect, useState, type ComponentType } from "react";
import { useI18n } from "./shared/i18n.js";
import type { MoreTabsMenuProps } from "./tab-more-menu.js";
import { TABS, type TabId } from "./tabs.js";

export type { TabId } from "./tabs.js";

const useStyles = makeStyles({
  // The overflow manager measures this box: it must not grow past the pane.
  list: { minWidth: 0, overflow: "hidden" },
  tab: { flexShrink: 0 },
});

export interface TabBarProps {
  selected: TabId;
  onSelect(tab: TabId): void;
}

export function TabBar({ selected, onSelect }: TabBarProps) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Overflow minimumVisible={1}>
      <TabList
        className={styles.list}
        size="small"
        selectedValue={selected}
        onTabSelect={(_, data) => onSelect(data.value as TabId)}
        aria-label={t("nav.label")}
      >
        {TABS.map((tab) => (
          // The selected tab outranks the others, so it is the last one to move into the menu.
          <OverflowItem key={tab} id={tab} priority={tab === selected ? 2 : 1}>
            <Tab value={tab} className={styles.tab} data-testid={`tab-${tab}`}>
              {t(`nav.${tab}`)}
            </Tab>
          </OverflowItem>
        ))}
        <MoreTabs onSelect={onSelect} />
      </TabList>
    </Overflow>
  );
}

/** The menu's module, once asked for: it is fetched the first time a tab overflows. */
let menuModule: Promise<ComponentType<MoreTabsMenuProps>> | null = null;
const loadMenu = () => (menuModule ??= import("./tab-more-menu.js").then((m) => m.MoreTabsMenu));

/**
 * The "more" button, rendered only while some tab is hidden. Until Fluent's Menu has loaded it is
 * a plain button of the same look and name; a press in that moment opens the menu once it is in.
 */
function MoreTabs({ onSelect }: { onSelect(tab: TabId): void }) {
  const { t } = useI18n();
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  const [menu, setMenu] = useState<{ Menu: ComponentType<MoreTabsMenuProps> } | null>(null);
  const [pressed, setPressed] = useState(false);
  useEffect(() => {
    if (!isOverflowing || menu) return;
    let live = true;
    loadMenu().then(
      (Menu) => live && setMenu({ Menu }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [isOverflowing, menu]);
  if (!isOverflowing) return null;
  const label = t("nav.more", { count: overflowCount });
  if (menu) {
    return <menu.Menu buttonRef={ref} label={label} openAtOnce={pressed} onSelect={onSelect} />;
  }
  return (
    <Button
      ref={ref}
      appearance="transparent"
      role="tab"
      aria-label={label}
      aria-haspopup="menu"
      aria-expanded={false}
      data-testid="tab-more"
      icon={<span aria-hidden="true">…</span>}
      onClick={() => setPressed(true)}
    />
  );
}
