import { useEffect, useState } from "react";
import {
  onSelectionChanged,
  selectedItems,
  type SelectedItem,
} from "../adapters/office/mailbox.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";

/** The messages selected in Outlook when there are several (bulk save); [] otherwise. */
export function useSelection(runtime: OfficeRuntime): SelectedItem[] {
  const [items, setItems] = useState<SelectedItem[]>([]);
  useEffect(() => {
    let live = true;
    let remove: (() => Promise<void>) | null = null;
    const refresh = () =>
      void selectedItems(runtime).then(
        (list) => live && setItems(list && list.length > 1 ? list : []),
        () => live && setItems([]),
      );
    refresh();
    void onSelectionChanged(runtime, refresh).then((off) => {
      if (live) remove = off;
      else void off();
    });
    return () => {
      live = false;
      void remove?.();
    };
  }, [runtime]);
  return items;
}
