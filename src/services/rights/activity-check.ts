// The activity log's integrity check as the pane shows it (see core/activity/chain.ts), with the
// events still waiting on this device.
import type { ActivityLogPort } from "../../core/ports/activity-log.js";

export interface ActivityCheck {
  ok: boolean;
  problems: number;
  /** Older events checked per session only. */
  legacy?: number;
  /** Consent records from before the one chain, not covered. */
  consentLegacy?: number;
  /** Events kept on this device, not written to the log yet. */
  pending?: number;
}

export async function checkActivity(
  activity: Pick<ActivityLogPort, "verify" | "pending">,
): Promise<ActivityCheck> {
  const [verdict, pending] = await Promise.all([activity.verify(), activity.pending()]);
  return {
    ok: verdict.ok,
    problems: verdict.problems.length,
    legacy: verdict.legacy,
    consentLegacy: verdict.consentLegacy,
    pending,
  };
}
