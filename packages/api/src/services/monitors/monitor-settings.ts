import type { MonitorSettings } from "@plumbline/contracts";
import type { Monitor } from "@plumbline/db/schema";

/** A monitor row's settings, as `MonitorSettings` holds them (the row adds ids and bookkeeping). */
export function settingsOf(monitor: Monitor): MonitorSettings {
  return {
    name: monitor.name,
    metric: monitor.metric,
    statistic: monitor.statistic,
    feature: monitor.feature,
    threshold: monitor.threshold,
    bucketMinutes: monitor.bucketMinutes,
    windowMinutes: monitor.windowMinutes,
    minSamples: monitor.minSamples,
    breachesToFire: monitor.breachesToFire,
    healthyToResolve: monitor.healthyToResolve,
    scope: monitor.scope,
    notify: monitor.notify,
    enabled: monitor.enabled,
  };
}
