// The pane's sections as tabs that fit any pane width: Outlook's task pane can be 320 px wide, and
// French labels do not all fit at that width. Tabs that do not fit move, in order, into a "more"
// menu at the end of the tab list (Fluent UI's Overflow); the selected tab always stays in view.
// Small tabs (6 px padding instead of 10) keep all four English tabs in a 360 px pane.
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Overflow,
  OverflowItem,
  Tab,
  TabList,
  makeStyles,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from "@fluentui/react-components";
import { useI18n } from "./shared/i18n.js";

export type TabId = "message" | "stored" | "activity" | "privacy";

const TABS: readonly TabId[] = ["message", "stored", "activity", "privacy"];

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

/** The menu of tabs that did not fit; rendered only while some tab is hidden. */
function MoreTabs({ onSelect }: { onSelect(tab: TabId): void }) {
  const { t } = useI18n();
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        {/* A tab among the tabs, so arrow keys reach it as they reach the others. */}
        <Button
          ref={ref}
          appearance="transparent"
          role="tab"
          aria-label={t("nav.more", { count: overflowCount })}
          data-testid="tab-more"
          icon={<span aria-hidden="true">…</span>}
        />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {TABS.map((tab) => (
            <HiddenTabItem key={tab} tab={tab} onSelect={onSelect} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

function HiddenTabItem({ tab, onSelect }: { tab: TabId; onSelect(tab: TabId): void }) {
  const { t } = useI18n();
  const visible = useIsOverflowItemVisible(tab);
  if (visible) return null;
  return (
    <MenuItem onClick={() => onSelect(tab)} data-testid={`tab-more-${tab}`}>
      {t(`nav.${tab}`)}
    </MenuItem>
  );
}
