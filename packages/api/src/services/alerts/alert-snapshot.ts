import type { Alert } from "@plumbline/db/schema";
import type { AlertSnapshot } from "@plumbline/monitors";

/** What the lifecycle core reads of an alert row. */
export function snapshotOf(alert: Alert): AlertSnapshot {
  return {
    state: alert.state,
    severity: alert.severity,
    resolution: alert.resolution,
    breachStreak: alert.breachStreak,
    healthyStreak: alert.healthyStreak,
    rebreachCount: alert.rebreachCount,
    firedAt: alert.firedAt,
    snoozedUntil: alert.snoozedUntil,
    ownerId: alert.ownerId,
  };
}
