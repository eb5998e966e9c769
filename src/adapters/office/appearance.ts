import { resolveLanguage, type Language } from "../../core/i18n/index.js";
import type { OfficeRuntime } from "./runtime.js";

export type ThemeMode = "light" | "dark";

/** Relative luminance of a #rrggbb colour (WCAG), or null when it is not one. */
function luminance(hex: string): number | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) return null;
  const value = parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** Office gives colours, not a theme name: a dark body background means a dark theme. */
export function themeMode(runtime: Pick<OfficeRuntime, "context">): ThemeMode {
  const background = runtime.context.officeTheme?.bodyBackgroundColor;
  const l = background ? luminance(background) : null;
  return l !== null && l < 0.2 ? "dark" : "light";
}

export function displayLanguage(runtime: Pick<OfficeRuntime, "context">): Language {
  return resolveLanguage(runtime.context.displayLanguage);
}
