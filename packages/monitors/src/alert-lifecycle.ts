import type { AlertEventKind, AlertResolution, AlertState, Severity } from "@plumbline/contracts";

/**
 * The alert lifecycle of docs/monitors.md as two pure functions: {@link applyVerdict} for what an
 * evaluation found, {@link applyAlertAction} for what a person does. Each returns the next alert
 * and what the caller must persist (timeline events, the notification to enqueue), or a refusal
 * with a stable code. No I/O, no clock: `now` is passed in.
 *
 * ```
 * (none) -> pending (breach) -> firing (N consecutive breaches) -> acknowledged (a person)
 * pending -> resolved "cleared" (a healthy evaluation before it fired: nobody was told)
 * firing | acknowledged | snoozed -> resolved "healthy" (M consecutive healthy evaluations)
 * firing | acknowledged -> snoozed (until t) -> firing (t passed) | resolved
 * any -> resolved "manual" (a person); any, resolved too -> resolved "false_alarm"
 * ```
 *
 * Notifications: firing notifies, an escalation from warning to critical notifies, resolution
 * of an alert that fired notifies; re-breaches of an open alert only bump a counter, and a
 * snoozed alert tells nobody until its snooze runs out.
 */

export interface AlertGuards {
  /** Consecutive breaching evaluations before an alert fires (N). */
  breachesToFire: number;
  /** Consecutive healthy evaluations before an open alert resolves by itself (M). */
  healthyToResolve: number;
}

export interface AlertSnapshot {
  state: AlertState;
  severity: Severity;
  resolution: AlertResolution | null;
  breachStreak: number;
  healthyStreak: number;
  rebreachCount: number;
  /** Set once it fired: resolving an alert nobody heard of notifies nobody. */
  firedAt: Date | null;
  snoozedUntil: Date | null;
  ownerId: string | null;
}

/**
 * What one evaluation concluded for one dedup key: a breach at a severity, healthy, or
 * `inconclusive` (too few samples, no reference, a mute window): streaks stay as they are.
 */
export type Verdict =
  { kind: "breach"; severity: Severity } | { kind: "healthy" } | { kind: "inconclusive" };

export type AlertNotification = "alert.firing" | "alert.escalated" | "alert.resolved";

export interface AlertChange {
  /** The alert after the change; null when there is no alert and none was opened. */
  alert: AlertSnapshot | null;
  /** True when this change opens a new alert (insert a row rather than update one). */
  opened: boolean;
  /** Timeline entries, in order. */
  events: AlertEventKind[];
  notify: AlertNotification | null;
}

const SEVERITY_RANK: Record<Severity, number> = { warning: 1, critical: 2 };

export function worseSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

export function isOpen(state: AlertState): boolean {
  return state !== "resolved";
}

const unchanged = (alert: AlertSnapshot | null): AlertChange => ({
  alert,
  opened: false,
  events: [],
  notify: null,
});

/**
 * Applies one evaluation's verdict to the open alert of a dedup key (null: none is open).
 * A resolved alert is never passed in: a breach after resolution opens a new alert.
 */
export function applyVerdict(
  current: AlertSnapshot | null,
  verdict: Verdict,
  guards: AlertGuards,
  now: Date,
): AlertChange {
  if (current && !isOpen(current.state)) {
    throw new Error("applyVerdict takes the open alert of a key, not a resolved one");
  }
  if (!current) {
    if (verdict.kind !== "breach") return unchanged(null);
    const fires = guards.breachesToFire <= 1;
    return {
      alert: {
        state: fires ? "firing" : "pending",
        severity: verdict.severity,
        resolution: null,
        breachStreak: 1,
        healthyStreak: 0,
        rebreachCount: 0,
        firedAt: fires ? now : null,
        snoozedUntil: null,
        ownerId: null,
      },
      opened: true,
      events: fires ? ["breached", "fired"] : ["breached"],
      notify: fires ? "alert.firing" : null,
    };
  }

  const events: AlertEventKind[] = [];
  let alert = current;
  // A snooze that ran out puts the alert back to firing before this verdict applies.
  if (alert.state === "snoozed" && alert.snoozedUntil && alert.snoozedUntil <= now) {
    alert = { ...alert, state: "firing", snoozedUntil: null };
    events.push("snooze_expired");
  }
  if (verdict.kind === "inconclusive") return { alert, opened: false, events, notify: null };

  if (verdict.kind === "healthy") {
    if (alert.state === "pending") {
      return {
        alert: { ...alert, state: "resolved", resolution: "cleared", healthyStreak: 1 },
        opened: false,
        events: [...events, "resolved"],
        notify: null,
      };
    }
    const healthyStreak = alert.healthyStreak + 1;
    if (healthyStreak >= guards.healthyToResolve) {
      return {
        alert: {
          ...alert,
          state: "resolved",
          resolution: "healthy",
          healthyStreak,
          breachStreak: 0,
          snoozedUntil: null,
        },
        opened: false,
        events: [...events, "resolved"],
        notify: alert.firedAt ? "alert.resolved" : null,
      };
    }
    return {
      alert: { ...alert, healthyStreak, breachStreak: 0 },
      opened: false,
      events: alert.healthyStreak === 0 ? [...events, "healthy"] : events,
      notify: null,
    };
  }

  // A breach.
  const severity = worseSeverity(alert.severity, verdict.severity);
  const escalated = severity !== alert.severity;
  const flapped = alert.healthyStreak > 0;
  const next: AlertSnapshot = {
    ...alert,
    severity,
    breachStreak: alert.breachStreak + 1,
    healthyStreak: 0,
    rebreachCount: alert.rebreachCount + (flapped ? 1 : 0),
  };
  if (alert.state === "pending") {
    if (next.breachStreak >= guards.breachesToFire) {
      return {
        alert: { ...next, state: "firing", firedAt: now },
        opened: false,
        events: [...events, "breached", "fired"],
        notify: "alert.firing",
      };
    }
    return { alert: next, opened: false, events: [...events, "breached"], notify: null };
  }
  if (flapped) events.push("rebreached");
  if (escalated) events.push("escalated");
  return {
    alert: next,
    opened: false,
    events,
    notify: escalated && next.state !== "snoozed" ? "alert.escalated" : null,
  };
}

/** What a person does to an alert. */
export type AlertAction =
  | { type: "acknowledge" }
  | { type: "snooze"; until: Date }
  | { type: "resolve" }
  | { type: "false_alarm" }
  | { type: "assign"; ownerId: string | null }
  | { type: "comment"; body: string };

export type AlertActionRefusal =
  | "alert_resolved"
  | "already_acknowledged"
  | "not_firing"
  | "snooze_in_past"
  | "snooze_too_long"
  | "already_false_alarm"
  | "empty_comment";

export const ALERT_ACTION_REFUSALS: Record<AlertActionRefusal, string> = {
  alert_resolved: "The alert is resolved.",
  already_acknowledged: "The alert is already acknowledged.",
  not_firing: "Only a firing alert can be acknowledged or snoozed; this one has not fired.",
  snooze_in_past: "A snooze must end in the future.",
  snooze_too_long: "A snooze lasts at most 30 days; resolve the alert or mute its monitor instead.",
  already_false_alarm: "The alert is already marked as a false alarm.",
  empty_comment: "A comment needs some text.",
};

/** The longest snooze: past this, muting the monitor (audited, approved) is the honest tool. */
export const MAX_SNOOZE_MS = 30 * 24 * 60 * 60 * 1000;

export type AlertActionResult =
  | { ok: true; alert: AlertSnapshot; events: AlertEventKind[]; notify: AlertNotification | null }
  | { ok: false; refusal: AlertActionRefusal };

const refuse = (refusal: AlertActionRefusal): AlertActionResult => ({ ok: false, refusal });

export function applyAlertAction(
  alert: AlertSnapshot,
  action: AlertAction,
  now: Date,
): AlertActionResult {
  switch (action.type) {
    case "comment":
      if (action.body.trim() === "") return refuse("empty_comment");
      return { ok: true, alert, events: ["commented"], notify: null };
    case "assign":
      return {
        ok: true,
        alert: { ...alert, ownerId: action.ownerId },
        events: ["assigned"],
        notify: null,
      };
    case "false_alarm":
      if (alert.resolution === "false_alarm") return refuse("already_false_alarm");
      return {
        ok: true,
        alert: { ...alert, state: "resolved", resolution: "false_alarm", snoozedUntil: null },
        events: ["false_alarm"],
        // Resolving an open alert that fired tells whoever was told it fired.
        notify: isOpen(alert.state) && alert.firedAt ? "alert.resolved" : null,
      };
    case "resolve":
      if (!isOpen(alert.state)) return refuse("alert_resolved");
      return {
        ok: true,
        alert: { ...alert, state: "resolved", resolution: "manual", snoozedUntil: null },
        events: ["resolved"],
        notify: alert.firedAt ? "alert.resolved" : null,
      };
    case "acknowledge":
      if (!isOpen(alert.state)) return refuse("alert_resolved");
      if (alert.state === "acknowledged") return refuse("already_acknowledged");
      if (alert.state === "pending") return refuse("not_firing");
      return {
        ok: true,
        alert: { ...alert, state: "acknowledged", snoozedUntil: null },
        events: ["acknowledged"],
        notify: null,
      };
    case "snooze":
      if (!isOpen(alert.state)) return refuse("alert_resolved");
      if (alert.state === "pending") return refuse("not_firing");
      if (action.until <= now) return refuse("snooze_in_past");
      if (action.until.getTime() - now.getTime() > MAX_SNOOZE_MS) return refuse("snooze_too_long");
      return {
        ok: true,
        alert: { ...alert, state: "snoozed", snoozedUntil: action.until },
        events: ["snoozed"],
        notify: null,
      };
  }
}
