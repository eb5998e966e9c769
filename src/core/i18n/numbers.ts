import { locales, type Language } from "./locale.js";

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

/** A count the way the language writes it: 1,000 in English, 1 000 in French. */
export function formatNumber(language: Language, value: number): string {
  return new Intl.NumberFormat(locales[language]).format(value);
}

/**
 * A size in the language's own units and separators: "1.5 MB" / "1,5 Mo", "512 B" / "512 o".
 * Steps of 1,024, as Windows and OneDrive show sizes.
 */
export function formatBytes(language: Language, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locales[language], {
    style: "unit",
    unit: UNITS[unit],
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(value);
}
