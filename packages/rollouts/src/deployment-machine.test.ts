import { describe, expect, it } from "vitest";

import {
  applyDeploymentEvent,
  initialDeployment,
  type DeploymentEvent,
  type DeploymentSnapshot,
  type DeploymentTransition,
} from "./deployment-machine";
import { canaryStrategySchema, exampleCanaryStrategy, type CanaryStrategy } from "./strategy";

const T0 = new Date("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const strategy = exampleCanaryStrategy();

function ok(transition: DeploymentTransition) {
  if (!transition.ok) throw new Error(`refused: ${transition.code}`);
  return transition;
}

function run(
  snapshot: DeploymentSnapshot,
  event: DeploymentEvent,
  using: CanaryStrategy = strategy,
) {
  return ok(applyDeploymentEvent(snapshot, using, event));
}

const kinds = (transition: { effects: { kind: string }[] }) =>
  transition.effects.map((effect) => effect.kind);

/** The example strategy walked to its analysis step (weight 5, pause 300 s over). */
function atAnalysis(): DeploymentSnapshot {
  const started = run(initialDeployment(), { type: "tick", now: at(0) }).next;
  return run(started, { type: "tick", now: at(300) }).next;
}

describe("the worker's ticks", () => {
  it("starts a pending deployment, applies the first weight and waits on the timed pause", () => {
    const started = run(initialDeployment(), { type: "tick", now: at(0) });
    expect(started.next).toMatchObject({
      state: "paused",
      stepIndex: 1,
      weight: 5,
      pauseReason: "step",
      pauseUntil: at(300),
    });
    expect(started.effects).toEqual([
      { kind: "transition", from: "pending", to: "progressing", reason: "deployment started" },
      { kind: "step_started", stepIndex: 0, step: { kind: "setWeight", weight: 5 } },
      { kind: "weight_changed", from: 0, to: 5 },
      {
        kind: "step_completed",
        stepIndex: 0,
        step: { kind: "setWeight", weight: 5 },
        via: "worker",
      },
      { kind: "step_started", stepIndex: 1, step: { kind: "pause", durationSeconds: 300 } },
      { kind: "transition", from: "progressing", to: "paused", reason: "pause for 300 s" },
    ]);
  });

  it("keeps a timed pause until its end, then moves on to the analysis", () => {
    const paused = run(initialDeployment(), { type: "tick", now: at(0) }).next;
    const early = run(paused, { type: "tick", now: at(299) });
    expect(early.changed).toBe(false);
    expect(early.next).toEqual(paused);
    const analyzing = run(paused, { type: "tick", now: at(300) });
    expect(analyzing.next).toMatchObject({ state: "analyzing", stepIndex: 2, weight: 5 });
    expect(kinds(analyzing)).toContain("start_analysis");
  });

  it("waits while the analysis runs, moves on when it succeeds, and ends in promoting", () => {
    const analyzing = atAnalysis();
    expect(run(analyzing, { type: "tick", now: at(400), analysis: "running" }).changed).toBe(false);
    const next = run(analyzing, { type: "tick", now: at(600), analysis: "successful" });
    expect(next.next).toMatchObject({ state: "paused", stepIndex: 4, weight: 25 });
    const later = run(next.next, { type: "tick", now: at(1200) });
    expect(later.next).toMatchObject({ state: "promoting", stepIndex: 7, weight: 100 });
    expect(later.effects.filter((effect) => effect.kind === "weight_changed")).toEqual([
      { kind: "weight_changed", from: 25, to: 50 },
      { kind: "weight_changed", from: 50, to: 100 },
    ]);
    const done = run(later.next, { type: "tick", now: at(1201) });
    expect(done.next.state).toBe("succeeded");
    expect(kinds(done)).toEqual(["transition", "move_alias"]);
    expect(run(done.next, { type: "tick", now: at(2000) }).changed).toBe(false);
  });

  it("aborts on a failed analysis: weight 0 at once, rolled back on the next tick", () => {
    const aborting = run(atAnalysis(), {
      type: "tick",
      now: at(400),
      analysis: "failed",
      analysisMessage: "error-rate failed 1 of 1",
    });
    expect(aborting.next).toMatchObject({
      state: "aborting",
      weight: 0,
      abortReason: "analysis_failed",
      message: "error-rate failed 1 of 1",
    });
    expect(aborting.effects).toContainEqual({ kind: "weight_changed", from: 5, to: 0 });
    const rolledBack = run(aborting.next, { type: "tick", now: at(401) });
    expect(rolledBack.next).toMatchObject({ state: "rolled_back", weight: 0 });
    expect(rolledBack.effects).toContainEqual({
      kind: "rolled_back",
      reason: "analysis_failed",
      message: "error-rate failed 1 of 1",
    });
    expect(kinds(rolledBack)).not.toContain("move_alias");
  });

  it("aborts on an analysis error", () => {
    const aborting = run(atAnalysis(), { type: "tick", now: at(400), analysis: "error" });
    expect(aborting.next).toMatchObject({ state: "aborting", abortReason: "analysis_error" });
  });

  it("pauses on an inconclusive analysis until an approver decides, and notifies", () => {
    const paused = run(atAnalysis(), {
      type: "tick",
      now: at(400),
      analysis: "inconclusive",
      analysisMessage: "too few samples",
    });
    expect(paused.next).toMatchObject({
      state: "paused",
      pauseReason: "inconclusive",
      pauseUntil: null,
      stepIndex: 2,
      weight: 5,
    });
    expect(kinds(paused)).toContain("notify_approver");
    expect(run(paused.next, { type: "tick", now: at(100_000) }).changed).toBe(false);
    const resumed = run(paused.next, { type: "resume", now: at(500) });
    expect(resumed.next).toMatchObject({ state: "paused", stepIndex: 4, weight: 25 });
    expect(resumed.effects).toContainEqual({
      kind: "step_completed",
      stepIndex: 2,
      step: { kind: "analysis" },
      via: "person",
    });
  });

  it("aborts an analysis that runs past the progress deadline", () => {
    const analyzing = atAnalysis();
    const deadline = strategy.progressDeadlineSeconds;
    expect(
      run(analyzing, { type: "tick", now: at(300 + deadline), analysis: "running" }).changed,
    ).toBe(false);
    const aborted = run(analyzing, { type: "tick", now: at(301 + deadline), analysis: "running" });
    expect(aborted.next).toMatchObject({ state: "aborting", abortReason: "progress_deadline" });
  });

  it("waits on an indefinite pause until resumed", () => {
    const manual = canaryStrategySchema.parse({
      steps: [
        { kind: "setWeight", weight: 10 },
        { kind: "pause" },
        { kind: "setWeight", weight: 100 },
      ],
    });
    const paused = run(initialDeployment(), { type: "tick", now: at(0) }, manual);
    expect(paused.next).toMatchObject({ state: "paused", pauseUntil: null, weight: 10 });
    expect(run(paused.next, { type: "tick", now: at(1e7) }, manual).changed).toBe(false);
    const resumed = run(paused.next, { type: "resume", now: at(10) }, manual);
    expect(resumed.next).toMatchObject({ state: "promoting", weight: 100 });
  });

  it("promotes at once when the strategy has only weights", () => {
    const direct = canaryStrategySchema.parse({ steps: [{ kind: "setWeight", weight: 100 }] });
    const promoting = run(initialDeployment(), { type: "tick", now: at(0) }, direct);
    expect(promoting.next).toMatchObject({ state: "promoting", weight: 100 });
  });
});

describe("people's actions", () => {
  const live: DeploymentSnapshot[] = [];
  const pending = initialDeployment();
  const paused = run(pending, { type: "tick", now: at(0) }).next;
  const analyzing = atAnalysis();
  const promoting = run(paused, { type: "promote_now", now: at(1) }).next;
  const aborting = run(analyzing, { type: "abort", now: at(400), reason: "bad" }).next;
  const rolledBack = run(aborting, { type: "tick", now: at(401) }).next;
  const succeeded = run(promoting, { type: "tick", now: at(2) }).next;
  live.push(pending, paused, analyzing, promoting);

  it("aborts every live state with weight 0 and the person's reason", () => {
    for (const snapshot of live) {
      const aborted = run(snapshot, { type: "abort", now: at(500), reason: "looks wrong" });
      expect(aborted.next).toMatchObject({
        state: "aborting",
        weight: 0,
        abortReason: "manual",
        message: "looks wrong",
      });
    }
  });

  it("refuses to abort what is aborting or finished", () => {
    expect(
      applyDeploymentEvent(aborting, strategy, { type: "abort", now: at(1), reason: "x" }),
    ).toMatchObject({ ok: false, code: "not_abortable" });
    for (const snapshot of [rolledBack, succeeded]) {
      expect(
        applyDeploymentEvent(snapshot, strategy, { type: "abort", now: at(1), reason: "x" }),
      ).toMatchObject({ ok: false, code: "terminal" });
    }
  });

  it("resumes only a paused deployment; a timed pause resumed early moves on", () => {
    const resumed = run(paused, { type: "resume", now: at(10) });
    expect(resumed.next).toMatchObject({ state: "analyzing", stepIndex: 2 });
    for (const snapshot of [pending, analyzing, promoting, aborting, rolledBack, succeeded]) {
      expect(
        applyDeploymentEvent(snapshot, strategy, { type: "resume", now: at(1) }),
      ).toMatchObject({ ok: false, code: "not_paused" });
    }
  });

  it("promotes now from pending, paused and analyzing, with weight 100", () => {
    for (const snapshot of [pending, paused, analyzing]) {
      const promoted = run(snapshot, { type: "promote_now", now: at(10) });
      expect(promoted.next).toMatchObject({ state: "promoting", weight: 100 });
    }
    for (const snapshot of [promoting, aborting, rolledBack, succeeded]) {
      expect(
        applyDeploymentEvent(snapshot, strategy, { type: "promote_now", now: at(1) }),
      ).toMatchObject({ ok: false, code: "not_promotable" });
    }
  });

  it("retries a rolled back deployment from its first step", () => {
    const retried = run(rolledBack, { type: "retry", now: at(1000) });
    expect(retried.next).toMatchObject({
      state: "paused",
      stepIndex: 1,
      weight: 5,
      abortReason: null,
      message: null,
      pauseUntil: at(1300),
    });
    for (const snapshot of [pending, paused, analyzing, promoting, aborting, succeeded]) {
      expect(applyDeploymentEvent(snapshot, strategy, { type: "retry", now: at(1) })).toMatchObject(
        {
          ok: false,
          code: "not_retryable",
        },
      );
    }
  });
});
