import type { RouterOutputs } from "@plumbline/api";

import { Badge, type BadgeTone } from "~/components/ui/badge";

export type DeploymentDetail = RouterOutputs["rollouts"]["get"];
export type DeploymentState = DeploymentDetail["state"];
export type CanaryStep = DeploymentDetail["strategy"]["steps"][number];
export type Condition = { op: "<" | "<=" | ">" | ">="; threshold: number };

const STATE_TONES: Record<DeploymentState, BadgeTone> = {
  pending: "neutral",
  progressing: "accent",
  paused: "canary",
  analyzing: "accent",
  promoting: "accent",
  succeeded: "success",
  aborting: "danger",
  rolled_back: "danger",
};

export const STATE_LABELS: Record<DeploymentState, string> = {
  pending: "Pending",
  progressing: "Progressing",
  paused: "Paused",
  analyzing: "Analyzing",
  promoting: "Promoting",
  succeeded: "Succeeded",
  aborting: "Aborting",
  rolled_back: "Rolled back",
};

export function DeploymentStateBadge({ state }: { state: DeploymentState }) {
  return (
    <Badge tone={STATE_TONES[state]} data-testid="deployment-state" data-status={state}>
      {STATE_LABELS[state]}
    </Badge>
  );
}

export const METRIC_KIND_LABELS: Record<string, string> = {
  error_rate_difference: "Error rate, canary − stable",
  p99_latency_ratio: "p99 latency, canary ÷ stable",
  prediction_js_distance: "Prediction distribution, JS distance",
  prediction_psi: "Prediction distribution, PSI",
  mean_confidence_shift: "Mean confidence, canary − stable",
  low_confidence_share_shift: "Low-confidence share, canary − stable",
  accuracy_drop: "Accuracy, stable − canary",
};

export function describeStep(step: CanaryStep): string {
  switch (step.kind) {
    case "setWeight":
      return `Send ${step.weight} % of traffic to the canary`;
    case "pause":
      return step.durationSeconds === undefined
        ? "Pause until an approver resumes"
        : `Pause ${formatSeconds(step.durationSeconds)}`;
    case "analysis":
      return "Analyse canary against stable";
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function describeCondition(condition: Condition | null): string {
  return condition ? `${condition.op} ${condition.threshold}` : "—";
}

/** A metric's value: shares and differences to 4 places, ratios to 3. */
export function formatMetricValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 3 : 4;
  return value.toFixed(digits);
}
