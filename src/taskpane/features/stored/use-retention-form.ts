import { useState } from "react";
import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";
import { useI18n } from "../../shared/i18n.js";
import { useLoad } from "../../shared/use-load.js";
import type { RetentionSetting, StoredFacade } from "./facade.js";

/** The periods offered as one click (days); any other is typed as a custom period. */
export const PRESETS = [30, 90, 180, 365];

function toChoice(value: string, customDays: string): RetentionSetting | null {
  if (value === "forever") return { kind: "forever" };
  const days = value === "custom" ? Number(customDays) : Number(value);
  return Number.isInteger(days) && days > 0 ? { kind: "days", days } : null;
}

/**
 * The retention card's form: the stored setting read into a choice (a preset, a custom number of
 * days, or forever), whether the choice is within the org's bounds, and the actions. A period
 * that would delete stored emails asks first (`confirm`); once applied, what it expired is purged.
 */
export function useRetentionForm(stored: StoredFacade, onChanged: () => void) {
  const { t } = useI18n();
  const [value, setValue] = useState("90");
  const [customDays, setCustomDays] = useState("");
  const [confirm, setConfirm] = useState<{ choice: RetentionSetting; count: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useLoad(() => stored.retention(), [stored], {
    onLoaded: ({ setting }) => {
      if (setting.kind === "forever") setValue("forever");
      else if (PRESETS.includes(setting.days)) setValue(String(setting.days));
      else {
        setValue("custom");
        setCustomDays(String(setting.days));
      }
    },
  });
  const bounds = load.data?.bounds ?? null;

  const choice = toChoice(value, customDays);
  const inBounds =
    choice !== null &&
    bounds !== null &&
    (choice.kind === "forever"
      ? bounds.allowForever
      : choice.days >= bounds.minDays && choice.days <= bounds.maxDays);

  // Purged items Microsoft 365 kept in the recycle bin are reported as such, not as gone.
  const purgedText = (purged: number): string => {
    const recycled = stored.recycled?.() ?? 0;
    return recycled > 0
      ? t("storage.recycled", { count: recycled, days: RECYCLE_BIN_RETENTION_DAYS })
      : t("retention.purged", { count: purged });
  };

  const apply = (c: RetentionSetting) =>
    load.run(async () => {
      await stored.setRetention(c);
      const purged = await stored.purgeNow();
      setMessage(purged > 0 ? purgedText(purged) : t("retention.saved"));
      onChanged();
    });

  const onApply = async () => {
    if (!choice || !inBounds) return;
    const count = await stored.countExpiring(choice);
    if (count > 0) setConfirm({ choice, count });
    else await apply(choice);
  };

  const purgeNow = () =>
    load.run(async () => {
      const purged = await stored.purgeNow();
      setMessage(purgedText(purged));
      onChanged();
    });

  return {
    value,
    setValue,
    customDays,
    setCustomDays,
    bounds,
    inBounds,
    error: load.error,
    message,
    confirm,
    setConfirm,
    apply,
    onApply,
    purgeNow,
  };
}
