import type { Language } from "../../core/i18n/locale.js";
import { formatBytes as formatSize } from "../../core/i18n/numbers.js";

/** A size in the pane's language: "1.5 MB" / "1,5 Mo" (core's units and separators). */
export function formatBytes(bytes: number, language: Language): string {
  return formatSize(language, bytes);
}
