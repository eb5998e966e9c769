import { useEffect, useState } from "react";
import type { CurrentItem } from "../../../core/message.js";
import { onItemChanged, readCurrentItem } from "../../../adapters/office/mailbox.js";
import type { OfficeRuntime } from "../../../adapters/office/runtime.js";

/** The item open in Outlook, kept current when the user moves to another message. */
export function useCurrentItem(runtime: OfficeRuntime): CurrentItem {
  const [item, setItem] = useState<CurrentItem>(() => readCurrentItem(runtime));
  useEffect(() => {
    let removed = false;
    let remove: (() => Promise<void>) | null = null;
    void onItemChanged(runtime, setItem).then((off) => {
      if (removed) void off();
      else remove = off;
    });
    return () => {
      removed = true;
      void remove?.();
    };
  }, [runtime]);
  return item;
}
