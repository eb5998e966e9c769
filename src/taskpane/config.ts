import type { AddinConfig } from "../core/config.js";

declare const __SEPT_CONFIG__: AddinConfig;

/** Build-time configuration (webpack DefinePlugin); see scripts/build-config.ts. */
export const config: AddinConfig = __SEPT_CONFIG__;
