import { Badge } from "~/components/ui/badge";

const toneOf: Record<string, "neutral" | "accent" | "canary" | "success" | "danger"> = {
  checks_running: "neutral",
  checks_failed: "danger",
  awaiting_approval: "canary",
  approved: "accent",
  rejected: "danger",
  expired: "neutral",
  cancelled: "neutral",
  stale: "neutral",
  deploying: "accent",
  promoted: "success",
  rolled_back: "danger",
};

export function formatPromotionState(state: string): string {
  return state.replaceAll("_", " ");
}

export function PromotionStateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <Badge tone={toneOf[state] ?? "neutral"} data-testid={testId}>
      <span data-state={state}>{formatPromotionState(state)}</span>
    </Badge>
  );
}
