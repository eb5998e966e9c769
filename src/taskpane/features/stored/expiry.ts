import type { I18n } from "../../shared/i18n.js";

const DAY = 24 * 3600 * 1000;

/** "Deleted in 12 days", from the entry's expiry and the current time. */
export function expiryText(expiresAt: string | null, now: number, t: I18n["t"]): string {
  if (!expiresAt) return t("stored.expires.never");
  const days = Math.ceil((Date.parse(expiresAt) - now) / DAY);
  return days <= 0 ? t("stored.expires.today") : t("stored.expires.in", { days });
}

export function formatBytes(bytes: number, language: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}
