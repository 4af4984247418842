import { describe, expect, it } from "vitest";

import {
  applyAlertAction,
  applyVerdict,
  MAX_SNOOZE_MS,
  type AlertGuards,
  type AlertSnapshot,
  type Verdict,
} from "./alert-lifecycle";

const t0 = new Date("2026-12-04T10:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const warning: Verdict = { kind: "breach", severity: "warning" };
const critical: Verdict = { kind: "breach", severity: "critical" };
const healthy: Verdict = { kind: "healthy" };
const inconclusive: Verdict = { kind: "inconclusive" };
const guards: AlertGuards = { breachesToFire: 2, healthyToResolve: 2 };

/** Applies verdicts one after the other, as successive evaluations would. */
function run(verdicts: Verdict[], g: AlertGuards = guards) {
  let alert: AlertSnapshot | null = null;
  const steps = verdicts.map((verdict, index) => {
    const change = applyVerdict(alert, verdict, g, at(index * 60));
    alert = change.alert && change.alert.state !== "resolved" ? change.alert : null;
    return change;
  });
  return steps;
}

function firing(overrides: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    state: "firing",
    severity: "warning",
    resolution: null,
    breachStreak: 2,
    healthyStreak: 0,
    rebreachCount: 0,
    firedAt: t0,
    snoozedUntil: null,
    ownerId: null,
    ...overrides,
  };
}

describe("applyVerdict: opening and firing (hysteresis N)", () => {
  it("nothing open and healthy or inconclusive: nothing happens", () => {
    expect(applyVerdict(null, healthy, guards, t0)).toEqual({
      alert: null,
      opened: false,
      events: [],
      notify: null,
    });
    expect(applyVerdict(null, inconclusive, guards, t0).alert).toBeNull();
  });

  it("first breach opens a pending alert; the Nth consecutive one fires and notifies", () => {
    const [first, second] = run([warning, warning]);
    expect(first).toMatchObject({
      opened: true,
      events: ["breached"],
      notify: null,
      alert: { state: "pending", breachStreak: 1, firedAt: null },
    });
    expect(second).toMatchObject({
      opened: false,
      events: ["breached", "fired"],
      notify: "alert.firing",
      alert: { state: "firing", breachStreak: 2, firedAt: at(60) },
    });
  });

  it("N = 1 fires on the first breach", () => {
    expect(applyVerdict(null, critical, { ...guards, breachesToFire: 1 }, t0)).toMatchObject({
      opened: true,
      events: ["breached", "fired"],
      notify: "alert.firing",
      alert: { state: "firing", severity: "critical", firedAt: t0 },
    });
  });

  it("N = 3 needs three consecutive breaches; an inconclusive one in between keeps the streak", () => {
    const steps = run([warning, inconclusive, warning, warning], { ...guards, breachesToFire: 3 });
    expect(steps.map((step) => step.alert?.state)).toEqual([
      "pending",
      "pending",
      "pending",
      "firing",
    ]);
  });

  it("a pending alert cleared by a healthy evaluation resolves as `cleared`, nobody told", () => {
    const [, cleared] = run([warning, healthy]);
    expect(cleared).toMatchObject({
      events: ["resolved"],
      notify: null,
      alert: { state: "resolved", resolution: "cleared" },
    });
  });
});

describe("applyVerdict: resolving (hysteresis M), re-breach, escalation", () => {
  it("M consecutive healthy evaluations resolve a firing alert and notify", () => {
    const steps = run([warning, warning, healthy, healthy]);
    expect(steps[2]).toMatchObject({
      events: ["healthy"],
      notify: null,
      alert: { state: "firing", healthyStreak: 1, breachStreak: 0 },
    });
    expect(steps[3]).toMatchObject({
      events: ["resolved"],
      notify: "alert.resolved",
      alert: { state: "resolved", resolution: "healthy", healthyStreak: 2 },
    });
  });

  it("a breach between healthy evaluations is a re-breach: counted, no second notification", () => {
    const steps = run([warning, warning, healthy, warning, healthy, healthy]);
    expect(steps[3]).toMatchObject({
      events: ["rebreached"],
      notify: null,
      alert: { state: "firing", rebreachCount: 1, healthyStreak: 0 },
    });
    expect(steps[4]?.alert?.state).toBe("firing");
    expect(steps[5]?.alert?.state).toBe("resolved");
  });

  it("a breach while firing (no healthy in between) is neither a re-breach nor a notification", () => {
    const steps = run([warning, warning, warning]);
    expect(steps[2]).toMatchObject({
      events: [],
      notify: null,
      alert: { breachStreak: 3, rebreachCount: 0 },
    });
  });

  it("escalates from warning to critical once, and notifies; never de-escalates", () => {
    const steps = run([warning, warning, critical, warning]);
    expect(steps[2]).toMatchObject({
      events: ["escalated"],
      notify: "alert.escalated",
      alert: { severity: "critical" },
    });
    expect(steps[3]).toMatchObject({ events: [], notify: null, alert: { severity: "critical" } });
  });

  it("a pending alert takes the worse severity and fires at it", () => {
    const steps = run([warning, critical]);
    expect(steps[1]).toMatchObject({
      notify: "alert.firing",
      alert: { state: "firing", severity: "critical" },
    });
  });

  it("an acknowledged alert resolves by itself after M healthy", () => {
    const acked = firing({ state: "acknowledged" });
    const once = applyVerdict(acked, healthy, guards, at(1)).alert!;
    expect(applyVerdict(once, healthy, guards, at(2))).toMatchObject({
      notify: "alert.resolved",
      alert: { state: "resolved", resolution: "healthy" },
    });
  });

  it("refuses a resolved alert: a breach after resolution opens a new one", () => {
    expect(() =>
      applyVerdict(firing({ state: "resolved", resolution: "healthy" }), warning, guards, t0),
    ).toThrow(/open alert/);
  });
});

describe("applyVerdict: snoozes", () => {
  const snoozed = firing({ state: "snoozed", snoozedUntil: at(30) });

  it("while snoozed, an escalation is recorded but nobody is told", () => {
    expect(applyVerdict(snoozed, critical, guards, at(10))).toMatchObject({
      events: ["escalated"],
      notify: null,
      alert: { state: "snoozed", severity: "critical" },
    });
  });

  it("a snooze that ran out returns to firing before the verdict applies", () => {
    expect(applyVerdict(snoozed, inconclusive, guards, at(30))).toMatchObject({
      events: ["snooze_expired"],
      notify: null,
      alert: { state: "firing", snoozedUntil: null },
    });
    expect(applyVerdict(snoozed, critical, guards, at(31))).toMatchObject({
      events: ["snooze_expired", "escalated"],
      notify: "alert.escalated",
      alert: { state: "firing", severity: "critical" },
    });
  });

  it("a snoozed alert resolves after M healthy evaluations", () => {
    const once = applyVerdict(snoozed, healthy, guards, at(1)).alert!;
    expect(applyVerdict(once, healthy, guards, at(2))).toMatchObject({
      events: ["resolved"],
      notify: "alert.resolved",
      alert: { state: "resolved", snoozedUntil: null },
    });
  });
});

describe("applyAlertAction", () => {
  const pending = firing({ state: "pending", firedAt: null, breachStreak: 1 });

  it("acknowledges a firing or snoozed alert, not a pending, acknowledged or resolved one", () => {
    expect(applyAlertAction(firing(), { type: "acknowledge" }, t0)).toMatchObject({
      ok: true,
      alert: { state: "acknowledged" },
      events: ["acknowledged"],
    });
    expect(
      applyAlertAction(
        firing({ state: "snoozed", snoozedUntil: at(5) }),
        { type: "acknowledge" },
        t0,
      ),
    ).toMatchObject({ ok: true, alert: { state: "acknowledged", snoozedUntil: null } });
    expect(applyAlertAction(pending, { type: "acknowledge" }, t0)).toEqual({
      ok: false,
      refusal: "not_firing",
    });
    expect(
      applyAlertAction(firing({ state: "acknowledged" }), { type: "acknowledge" }, t0),
    ).toEqual({ ok: false, refusal: "already_acknowledged" });
    expect(
      applyAlertAction(
        firing({ state: "resolved", resolution: "manual" }),
        { type: "acknowledge" },
        t0,
      ),
    ).toEqual({ ok: false, refusal: "alert_resolved" });
  });

  it("snoozes into the future, at most 30 days, only a fired alert", () => {
    expect(applyAlertAction(firing(), { type: "snooze", until: at(60) }, t0)).toMatchObject({
      ok: true,
      alert: { state: "snoozed", snoozedUntil: at(60) },
      events: ["snoozed"],
    });
    expect(applyAlertAction(firing(), { type: "snooze", until: t0 }, t0)).toEqual({
      ok: false,
      refusal: "snooze_in_past",
    });
    expect(
      applyAlertAction(
        firing(),
        { type: "snooze", until: new Date(t0.getTime() + MAX_SNOOZE_MS + 1) },
        t0,
      ),
    ).toEqual({ ok: false, refusal: "snooze_too_long" });
    expect(applyAlertAction(pending, { type: "snooze", until: at(5) }, t0)).toEqual({
      ok: false,
      refusal: "not_firing",
    });
  });

  it("resolves by hand: notifies only when it had fired", () => {
    expect(applyAlertAction(firing(), { type: "resolve" }, t0)).toMatchObject({
      ok: true,
      alert: { state: "resolved", resolution: "manual" },
      notify: "alert.resolved",
    });
    expect(applyAlertAction(pending, { type: "resolve" }, t0)).toMatchObject({
      ok: true,
      notify: null,
    });
    expect(
      applyAlertAction(
        firing({ state: "resolved", resolution: "healthy" }),
        { type: "resolve" },
        t0,
      ),
    ).toEqual({ ok: false, refusal: "alert_resolved" });
  });

  it("marks a false alarm from any state, resolved ones too, once", () => {
    expect(applyAlertAction(firing(), { type: "false_alarm" }, t0)).toMatchObject({
      ok: true,
      alert: { state: "resolved", resolution: "false_alarm" },
      events: ["false_alarm"],
      notify: "alert.resolved",
    });
    const resolved = firing({ state: "resolved", resolution: "healthy" });
    expect(applyAlertAction(resolved, { type: "false_alarm" }, t0)).toMatchObject({
      ok: true,
      alert: { resolution: "false_alarm" },
      notify: null,
    });
    expect(
      applyAlertAction(
        firing({ state: "resolved", resolution: "false_alarm" }),
        { type: "false_alarm" },
        t0,
      ),
    ).toEqual({ ok: false, refusal: "already_false_alarm" });
  });

  it("assigns an owner and takes comments (not empty ones)", () => {
    expect(applyAlertAction(firing(), { type: "assign", ownerId: "u1" }, t0)).toMatchObject({
      ok: true,
      alert: { ownerId: "u1" },
      events: ["assigned"],
    });
    expect(applyAlertAction(firing(), { type: "comment", body: "looking" }, t0)).toMatchObject({
      ok: true,
      events: ["commented"],
    });
    expect(applyAlertAction(firing(), { type: "comment", body: "  " }, t0)).toEqual({
      ok: false,
      refusal: "empty_comment",
    });
  });
});
