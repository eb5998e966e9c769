// The "more" menu of the tab bar (tab-bar.tsx): Fluent UI's Menu, with its positioning, is loaded
// only once some tab has actually moved out of the bar, not with the first view.
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  useIsOverflowItemVisible,
} from "@fluentui/react-components";
import type { Ref } from "react";
import { useI18n } from "./shared/i18n.js";
import { TABS, type TabId } from "./tabs.js";

export interface MoreTabsMenuProps {
  buttonRef: Ref<HTMLButtonElement>;
  label: string;
  /** The button was pressed before this menu had loaded: open at once. */
  openAtOnce: boolean;
  onSelect(tab: TabId): void;
}

export function MoreTabsMenu({ buttonRef, label, openAtOnce, onSelect }: MoreTabsMenuProps) {
  return (
    <Menu defaultOpen={openAtOnce}>
      <MenuTrigger disableButtonEnhancement>
        {/* A tab among the tabs, so arrow keys reach it as they reach the others. */}
        <Button
          ref={buttonRef}
          appearance="transparent"
          role="tab"
          aria-label={label}
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
