import type { AnalysisPhase } from "./analysis";
import type { CanaryStep, CanaryStrategy } from "./strategy";

/**
 * The canary deployment lifecycle as one pure function, {@link applyDeploymentEvent}: the next
 * snapshot and the effects the caller persists (steps, weight changes, the alias move, the
 * rollback), or a refusal with a stable code. No I/O, no clock: `now` comes with each event.
 *
 * ```
 * pending -> progressing (the worker starts it)
 * progressing: setWeight steps apply at once; a pause -> paused; an analysis -> analyzing;
 *              past the last step -> promoting
 * paused -> progressing (its duration passed, or a person resumed)
 * analyzing -> progressing (successful) | aborting (failed, error, progress deadline)
 *            | paused (inconclusive: an approver decides)
 * promoting -> succeeded (the protected alias moves to the candidate)
 * aborting -> rolled_back (weight already 0; the alias stays on the stable version)
 * any live state -> aborting (a person aborts) | promoting (an approver promotes now)
 * rolled_back -> progressing from the first step (an approver retries)
 * ```
 */

export const DEPLOYMENT_STATES = [
  "pending",
  "progressing",
  "paused",
  "analyzing",
  "promoting",
  "succeeded",
  "aborting",
  "rolled_back",
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const TERMINAL_DEPLOYMENT_STATES = [
  "succeeded",
  "rolled_back",
] as const satisfies readonly DeploymentState[];

/** States in which the canary may receive traffic and the worker still has work to do. */
export const LIVE_DEPLOYMENT_STATES = [
  "pending",
  "progressing",
  "paused",
  "analyzing",
  "promoting",
  "aborting",
] as const satisfies readonly DeploymentState[];

export function isTerminal(state: DeploymentState): boolean {
  return (TERMINAL_DEPLOYMENT_STATES as readonly DeploymentState[]).includes(state);
}

export const PAUSE_REASONS = ["step", "inconclusive"] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const ABORT_REASONS = [
  "analysis_failed",
  "analysis_error",
  "progress_deadline",
  "manual",
] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

export interface DeploymentSnapshot {
  state: DeploymentState;
  /** The step being executed or waited on; `steps.length` once past the last. */
  stepIndex: number;
  /** Percentage of traffic the serving layer sends to the canary, 0..100. */
  weight: number;
  /** When the current step started (a timed pause ends `durationSeconds` after it). */
  stepStartedAt: Date | null;
  pauseReason: PauseReason | null;
  /** When a timed pause ends; null for an indefinite one. */
  pauseUntil: Date | null;
  abortReason: AbortReason | null;
  /** The reason in words (a person's, or the failing metric's). */
  message: string | null;
}

export type DeploymentEvent =
  /** The worker's turn: `analysis` is the phase of the current analysis step's run, if any. */
  | { type: "tick"; now: Date; analysis?: AnalysisPhase; analysisMessage?: string }
  | { type: "abort"; now: Date; reason: string }
  | { type: "resume"; now: Date }
  | { type: "promote_now"; now: Date }
  | { type: "retry"; now: Date };

export type DeploymentEffect =
  | { kind: "transition"; from: DeploymentState; to: DeploymentState; reason: string }
  | { kind: "step_started"; stepIndex: number; step: CanaryStep }
  | { kind: "step_completed"; stepIndex: number; step: CanaryStep; via: "worker" | "person" }
  | { kind: "weight_changed"; from: number; to: number }
  | { kind: "start_analysis"; stepIndex: number }
  | { kind: "notify_approver"; reason: string }
  /** Move the environment's protected alias to the candidate (on success only). */
  | { kind: "move_alias" }
  /** Close the promotion as rolled back and raise the rollback alert. */
  | { kind: "rolled_back"; reason: AbortReason; message: string | null };

export type DeploymentRefusalCode =
  "terminal" | "not_paused" | "not_abortable" | "not_promotable" | "not_retryable";

export type DeploymentTransition =
  | { ok: true; next: DeploymentSnapshot; effects: DeploymentEffect[]; changed: boolean }
  | { ok: false; code: DeploymentRefusalCode; message: string };

export function initialDeployment(): DeploymentSnapshot {
  return {
    state: "pending",
    stepIndex: 0,
    weight: 0,
    stepStartedAt: null,
    pauseReason: null,
    pauseUntil: null,
    abortReason: null,
    message: null,
  };
}

const refuse = (code: DeploymentRefusalCode, message: string): DeploymentTransition => ({
  ok: false,
  code,
  message,
});

/** Builds the next snapshot and its effects through small in-place steps. */
class Draft {
  readonly effects: DeploymentEffect[] = [];
  snapshot: DeploymentSnapshot;

  constructor(
    current: DeploymentSnapshot,
    readonly strategy: CanaryStrategy,
    readonly now: Date,
  ) {
    this.snapshot = { ...current };
  }

  moveTo(state: DeploymentState, reason: string) {
    if (state === this.snapshot.state) return;
    this.effects.push({ kind: "transition", from: this.snapshot.state, to: state, reason });
    this.snapshot.state = state;
  }

  setWeight(weight: number) {
    if (weight === this.snapshot.weight) return;
    this.effects.push({ kind: "weight_changed", from: this.snapshot.weight, to: weight });
    this.snapshot.weight = weight;
  }

  startStep(index: number) {
    this.snapshot.stepIndex = index;
    this.snapshot.stepStartedAt = this.now;
    this.snapshot.pauseReason = null;
    this.snapshot.pauseUntil = null;
    const step = this.strategy.steps[index];
    if (step) this.effects.push({ kind: "step_started", stepIndex: index, step });
  }

  completeStep(via: "worker" | "person") {
    const index = this.snapshot.stepIndex;
    const step = this.strategy.steps[index];
    if (step) this.effects.push({ kind: "step_completed", stepIndex: index, step, via });
    this.startStep(index + 1);
  }

  abort(reason: AbortReason, message: string | null) {
    this.moveTo("aborting", message ?? reason);
    this.snapshot.abortReason = reason;
    this.snapshot.message = message;
    this.snapshot.pauseReason = null;
    this.snapshot.pauseUntil = null;
    this.setWeight(0);
  }

  promote(reason: string) {
    this.moveTo("promoting", reason);
    this.snapshot.pauseReason = null;
    this.snapshot.pauseUntil = null;
    this.setWeight(100);
  }

  /** Runs steps from `progressing` until one has to wait. */
  runSteps() {
    for (;;) {
      const step = this.strategy.steps[this.snapshot.stepIndex];
      if (!step) {
        this.promote("every step completed");
        return;
      }
      switch (step.kind) {
        case "setWeight":
          this.setWeight(step.weight);
          this.completeStep("worker");
          continue;
        case "pause": {
          const started = this.snapshot.stepStartedAt ?? this.now;
          this.snapshot.pauseReason = "step";
          this.snapshot.pauseUntil =
            step.durationSeconds === undefined
              ? null
              : new Date(started.getTime() + step.durationSeconds * 1000);
          if (this.snapshot.pauseUntil && this.snapshot.pauseUntil <= this.now) {
            this.completeStep("worker");
            continue;
          }
          this.moveTo(
            "paused",
            step.durationSeconds === undefined
              ? "pause until an approver resumes"
              : `pause for ${step.durationSeconds} s`,
          );
          return;
        }
        case "analysis":
          this.moveTo("analyzing", "analysis step");
          this.effects.push({ kind: "start_analysis", stepIndex: this.snapshot.stepIndex });
          return;
      }
    }
  }

  done(): DeploymentTransition {
    return {
      ok: true,
      next: this.snapshot,
      effects: this.effects,
      changed: this.effects.length > 0,
    };
  }
}

function tick(
  draft: Draft,
  analysis: AnalysisPhase | undefined,
  analysisMessage: string | undefined,
): DeploymentTransition {
  const { snapshot, now, strategy } = draft;
  switch (snapshot.state) {
    case "pending":
      draft.moveTo("progressing", "deployment started");
      draft.startStep(0);
      draft.runSteps();
      break;
    case "progressing":
      draft.runSteps();
      break;
    case "paused":
      if (snapshot.pauseUntil && snapshot.pauseUntil <= now) {
        draft.moveTo("progressing", "pause over");
        draft.completeStep("worker");
        draft.runSteps();
      }
      break;
    case "analyzing": {
      const deadline =
        (snapshot.stepStartedAt?.getTime() ?? now.getTime()) +
        strategy.progressDeadlineSeconds * 1000;
      if (analysis === "successful") {
        draft.moveTo("progressing", "analysis successful");
        draft.completeStep("worker");
        draft.runSteps();
      } else if (analysis === "failed") {
        draft.abort("analysis_failed", analysisMessage ?? "analysis failed");
      } else if (analysis === "error") {
        draft.abort("analysis_error", analysisMessage ?? "analysis erred");
      } else if (analysis === "inconclusive") {
        draft.moveTo("paused", "analysis inconclusive");
        draft.snapshot.pauseReason = "inconclusive";
        draft.snapshot.pauseUntil = null;
        draft.snapshot.message = analysisMessage ?? null;
        draft.effects.push({
          kind: "notify_approver",
          reason: "the canary analysis was inconclusive: resume, promote or abort",
        });
      } else if (now.getTime() > deadline) {
        draft.abort(
          "progress_deadline",
          `analysis did not conclude within ${strategy.progressDeadlineSeconds} s`,
        );
      }
      break;
    }
    case "promoting":
      draft.moveTo("succeeded", "canary promoted");
      draft.effects.push({ kind: "move_alias" });
      break;
    case "aborting":
      draft.setWeight(0);
      draft.moveTo("rolled_back", "rollback complete");
      draft.effects.push({
        kind: "rolled_back",
        reason: snapshot.abortReason ?? "manual",
        message: snapshot.message,
      });
      break;
    case "succeeded":
    case "rolled_back":
      break;
  }
  return draft.done();
}

/**
 * Applies one event. A `tick` never refuses (nothing to do is an unchanged result); a person's
 * action in a state that does not allow it is refused with a code.
 */
export function applyDeploymentEvent(
  current: DeploymentSnapshot,
  strategy: CanaryStrategy,
  event: DeploymentEvent,
): DeploymentTransition {
  const draft = new Draft(current, strategy, event.now);
  switch (event.type) {
    case "tick":
      return tick(draft, event.analysis, event.analysisMessage);
    case "abort":
      if (isTerminal(current.state)) {
        return refuse("terminal", `the deployment already ${current.state.replace("_", " ")}`);
      }
      if (current.state === "aborting") {
        return refuse("not_abortable", "the deployment is already aborting");
      }
      draft.abort("manual", event.reason);
      return draft.done();
    case "resume":
      if (current.state !== "paused") {
        return refuse(
          "not_paused",
          `only a paused deployment resumes, this one is ${current.state}`,
        );
      }
      draft.moveTo(
        "progressing",
        current.pauseReason === "inconclusive" ? "resumed after inconclusive analysis" : "resumed",
      );
      draft.completeStep("person");
      draft.runSteps();
      return draft.done();
    case "promote_now":
      if (
        isTerminal(current.state) ||
        current.state === "aborting" ||
        current.state === "promoting"
      ) {
        return refuse("not_promotable", `a deployment that is ${current.state} cannot be promoted`);
      }
      draft.promote("promoted by a person");
      return draft.done();
    case "retry":
      if (current.state !== "rolled_back") {
        return refuse(
          "not_retryable",
          `only a rolled back deployment is retried, not ${current.state}`,
        );
      }
      draft.snapshot.abortReason = null;
      draft.snapshot.message = null;
      draft.moveTo("progressing", "retried");
      draft.startStep(0);
      draft.runSteps();
      return draft.done();
  }
}
