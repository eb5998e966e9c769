import { formatBytes as formatSize, type Language } from "../../../core/i18n/index.js";
import type { I18n } from "../../shared/i18n.js";

const DAY = 24 * 3600 * 1000;

/** "Deleted in 12 days", from the entry's expiry and the current time. */
export function expiryText(expiresAt: string | null, now: number, t: I18n["t"]): string {
  if (!expiresAt) return t("stored.expires.never");
  const days = Math.ceil((Date.parse(expiresAt) - now) / DAY);
  return days <= 0 ? t("stored.expires.today") : t("stored.expires.in", { days });
}

/** A size in the pane's language: "1.5 MB" / "1,5 Mo". */
export function formatBytes(bytes: number, language: Language): string {
  return formatSize(language, bytes);
}
