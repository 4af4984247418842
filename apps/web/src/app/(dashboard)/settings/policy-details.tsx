import type { ReactNode } from "react";

import { Badge } from "~/components/ui/badge";

import {
  APPROVER_ROLE_LABELS,
  describeGateRule,
  formatHours,
  type GatePolicy,
  type GateRule,
} from "./gate-rule-text";

const KIND_LABELS: Record<GateRule["kind"], string> = {
  evaluation_outcome: "Evaluation",
  metric_vs_baseline: "vs baseline",
  metric_threshold: "Threshold",
  fairness: "Fairness",
  model_card_complete: "Model card",
};

/** A policy as anyone with access reads it: who approves, how long, and each gate in words. */
export function PolicyDetails({ policy }: { policy: GatePolicy }) {
  const approvers = policy.approverRoles.map((role) => APPROVER_ROLE_LABELS[role]);
  if (policy.environment !== "production" && policy.allowMlEngineerApproval) {
    approvers.push("ML engineers");
  }
  // The card gate the policy adds when it requires a card and no rule checks one (governance's
  // `effectiveGateRules`): shown so that the list is what actually runs.
  const addsCardRule =
    policy.modelCardRequired && !policy.rules.some((rule) => rule.kind === "model_card_complete");

  return (
    <div className="space-y-4" data-testid="policy-details">
      <dl className="grid gap-x-6 gap-y-3 text-[13px] sm:grid-cols-2 lg:grid-cols-5">
        <Fact label="Approvals required" testId="policy-required-approvals">
          {policy.requiredApprovals === 0 ? "None" : policy.requiredApprovals}
          {policy.requiredApprovals === 0 ? (
            <span className="block text-xs text-ink-muted">approved when every gate passes</span>
          ) : null}
        </Fact>
        <Fact label="Who approves" testId="policy-approver-roles">
          {approvers.join(", ")}
          <span className="block text-xs text-ink-muted">never their own request</span>
        </Fact>
        <Fact label="Approval expiry" testId="policy-approval-expiry">
          {formatHours(policy.approvalTtlHours)}
        </Fact>
        <Fact label="Model card" testId="policy-model-card">
          {policy.modelCardRequired ? "Required, complete" : "Not required"}
        </Fact>
        <Fact label="Minimum group size" testId="policy-min-group-size">
          {policy.minGroupSize} rows
          <span className="block text-xs text-ink-muted">smaller groups are inconclusive</span>
        </Fact>
      </dl>
      <div>
        <h4 className="text-xs font-medium text-ink">
          Gate rules{" "}
          <span className="font-normal text-ink-faint">
            ({policy.rules.length + (addsCardRule ? 1 : 0)})
          </span>
        </h4>
        {policy.rules.length === 0 && !addsCardRule ? (
          <p className="mt-1.5 text-xs text-ink-muted">
            No gate rules: a request goes straight to approval.
          </p>
        ) : (
          <ul className="mt-1.5 divide-y divide-line rounded-lg border border-line bg-surface">
            {policy.rules.map((rule) => (
              <RuleLine key={rule.id} rule={rule} />
            ))}
            {addsCardRule ? (
              <RuleLine
                rule={{ id: "model-card-complete", kind: "model_card_complete", onFail: "block" }}
                note="added because the policy requires a model card"
              />
            ) : null}
          </ul>
        )}
      </div>
    </div>
  );
}

function Fact({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-ink-faint">{label}</dt>
      <dd className="mt-0.5 font-medium text-ink" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function RuleLine({ rule, note }: { rule: GateRule; note?: string }) {
  return (
    <li
      className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-[13px]"
      data-testid="policy-rule"
      data-rule-id={rule.id}
    >
      <span className="w-24 shrink-0 text-xs text-ink-faint">{KIND_LABELS[rule.kind]}</span>
      <span className="min-w-0 flex-1 text-ink">
        {describeGateRule(rule)}
        <span className="ml-2 font-mono text-[11px] text-ink-faint">{rule.id}</span>
        {note ? <span className="ml-2 text-xs text-ink-muted">({note})</span> : null}
      </span>
      {rule.onFail === "block" ? (
        <Badge tone="danger">blocks on failure</Badge>
      ) : (
        <Badge tone="canary">override with justification</Badge>
      )}
    </li>
  );
}
