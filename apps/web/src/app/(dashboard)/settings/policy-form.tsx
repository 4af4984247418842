"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Plus } from "lucide-react";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { FormAlert } from "~/components/form-controls";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

import { GateRuleEditor, fieldClass } from "./gate-rule-editor";
import {
  APPROVER_ROLE_LABELS,
  formatHours,
  type ApproverRole,
  type EnvironmentKind,
  type GatePolicy,
  type GateRuleKind,
} from "./gate-rule-text";
import {
  MAX_APPROVALS,
  MAX_APPROVAL_TTL_HOURS,
  newRuleDraft,
  policyDraftFrom,
  validatePolicyDraft,
  type PolicyDraft,
} from "./policy-draft";

export type SavedPolicy = RouterOutputs["promotions"]["upsertPolicy"];

const ADDABLE_RULES: [GateRuleKind, string][] = [
  ["metric_vs_baseline", "Metric"],
  ["fairness", "Fairness"],
  ["evaluation_outcome", "Evaluation passed"],
  ["model_card_complete", "Model card complete"],
];

const APPROVER_ROLES: ApproverRole[] = ["approver", "admin"];

/** Edits one environment's promotion policy; the server validates it again and audits it. */
export function PolicyForm({
  projectSlug,
  environment,
  policy,
  onSaved,
  onCancel,
}: {
  projectSlug: string;
  environment: { name: string; kind: EnvironmentKind };
  policy: GatePolicy;
  onSaved: (saved: SavedPolicy) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<PolicyDraft>(() => policyDraftFrom(policy));
  const [submitted, setSubmitted] = useState(false);
  const [addedKey, setAddedKey] = useState<string | null>(null);
  const save = useMutation(
    trpc.promotions.upsertPolicy.mutationOptions({
      onSuccess: async (saved) => {
        await Promise.all([
          queryClient.invalidateQueries({
            queryKey: trpc.promotions.policy.queryKey({
              projectSlug,
              environment: environment.name,
            }),
          }),
          queryClient.invalidateQueries({
            queryKey: trpc.registry.environments.queryKey({ projectSlug }),
          }),
        ]);
        onSaved(saved);
      },
    }),
  );

  const production = environment.kind === "production";
  const validation = validatePolicyDraft(draft, environment.kind);
  const errors = submitted ? validation.errors : { rules: {} };
  const set = (changes: Partial<PolicyDraft>) =>
    setDraft((current) => ({ ...current, ...changes }));
  const ttl = Number(draft.approvalTtlHours);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.policy) {
      // After React has drawn the messages, take the keyboard to the first field to fix.
      requestAnimationFrame(() =>
        form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    save.mutate({ projectSlug, environment: environment.name, policy: validation.policy });
  };

  const toggleRole = (role: ApproverRole, on: boolean) =>
    set({
      approverRoles: on
        ? APPROVER_ROLES.filter((r) => r === role || draft.approverRoles.includes(r))
        : draft.approverRoles.filter((r) => r !== role),
    });

  return (
    <form
      ref={form}
      onSubmit={submit}
      noValidate
      aria-label={`Promotion policy of ${environment.name}`}
      className="space-y-6"
      data-testid="policy-form"
    >
      <div className="grid gap-5 sm:grid-cols-3">
        <NumberField
          id={`${ids}-approvals`}
          testId="policy-required-approvals-input"
          label="Approvals required"
          value={draft.requiredApprovals}
          onChange={(requiredApprovals) => set({ requiredApprovals })}
          error={errors.requiredApprovals}
          inputMode="numeric"
          hint={
            production
              ? `1 to ${MAX_APPROVALS}; production always needs one.`
              : `0 to ${MAX_APPROVALS}; 0 approves automatically when every gate passes.`
          }
        />
        <NumberField
          id={`${ids}-ttl`}
          testId="policy-approval-ttl-input"
          label="Approval expiry"
          suffix="hours"
          value={draft.approvalTtlHours}
          onChange={(approvalTtlHours) => set({ approvalTtlHours })}
          error={errors.approvalTtlHours}
          inputMode="decimal"
          hint={
            Number.isFinite(ttl) && ttl > 0 && ttl <= MAX_APPROVAL_TTL_HOURS
              ? `A waiting request expires after ${formatHours(ttl)}.`
              : `At most ${MAX_APPROVAL_TTL_HOURS} hours (90 days).`
          }
        />
        <NumberField
          id={`${ids}-group`}
          testId="policy-min-group-size-input"
          label="Minimum group size"
          suffix="rows"
          value={draft.minGroupSize}
          onChange={(minGroupSize) => set({ minGroupSize })}
          error={errors.minGroupSize}
          inputMode="numeric"
          hint="A fairness group or metric slice with fewer rows is inconclusive, never a pass."
        />
      </div>

      <div className="grid gap-5 sm:grid-cols-2">
        <fieldset
          aria-describedby={errors.approverRoles ? `${ids}-roles-error` : `${ids}-roles-hint`}
        >
          <legend className="text-xs font-medium text-ink">Who may approve</legend>
          <div className="mt-2 flex flex-wrap gap-x-5 gap-y-1.5 text-[13px]">
            {APPROVER_ROLES.map((role) => (
              <label key={role} className="flex cursor-pointer items-center gap-2">
                <input
                  type="checkbox"
                  data-testid="policy-approver-role"
                  value={role}
                  checked={draft.approverRoles.includes(role)}
                  onChange={(event) => toggleRole(role, event.target.checked)}
                  aria-invalid={errors.approverRoles ? true : undefined}
                  className="size-3.5 accent-accent"
                />
                {APPROVER_ROLE_LABELS[role]}
              </label>
            ))}
            <label
              className={clsx(
                "flex items-center gap-2",
                production ? "cursor-not-allowed text-ink-faint" : "cursor-pointer",
              )}
            >
              <input
                type="checkbox"
                data-testid="policy-allow-ml-engineer"
                checked={!production && draft.allowMlEngineerApproval}
                disabled={production}
                onChange={(event) => set({ allowMlEngineerApproval: event.target.checked })}
                className="size-3.5 accent-accent"
              />
              ML engineers{production ? " (never in production)" : ""}
            </label>
          </div>
          {errors.approverRoles ? (
            <p id={`${ids}-roles-error`} className="mt-1.5 text-xs text-danger">
              {errors.approverRoles}
            </p>
          ) : (
            <p id={`${ids}-roles-hint`} className="mt-1.5 text-xs text-ink-muted">
              Nobody approves a request they made or a version they registered.
            </p>
          )}
        </fieldset>
        <div>
          <div className="text-xs font-medium text-ink">Model card</div>
          <label className="mt-2 flex w-fit cursor-pointer items-center gap-2 text-[13px]">
            <input
              type="checkbox"
              data-testid="policy-model-card-required"
              checked={draft.modelCardRequired}
              onChange={(event) => set({ modelCardRequired: event.target.checked })}
              aria-describedby={`${ids}-card-hint`}
              className="size-3.5 accent-accent"
            />
            Require a complete model card
          </label>
          <p id={`${ids}-card-hint`} className="mt-1.5 text-xs text-ink-muted">
            Adds a “model card complete” gate unless a rule below already checks it.
          </p>
        </div>
      </div>

      <div>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h4 className="text-xs font-medium text-ink">Gate rules</h4>
          <p className="text-xs text-ink-muted">
            They run in order when a promotion is requested; an error always blocks.
          </p>
        </div>
        {draft.rules.length === 0 ? (
          <p className="mt-2 rounded-lg border border-dashed border-line-strong px-4 py-3 text-xs text-ink-muted">
            No gate rules: a request goes straight to approval. Add at least the checks your release
            process relies on.
          </p>
        ) : (
          <ol className="mt-2 space-y-2">
            {draft.rules.map((rule, index) => (
              <GateRuleEditor
                key={rule.key}
                rule={rule}
                position={index + 1}
                resolvedId={validation.ruleIds[rule.key] ?? ""}
                errors={errors.rules[rule.key]}
                autoFocus={rule.key === addedKey}
                onChange={(changed) =>
                  setDraft((current) => ({
                    ...current,
                    rules: current.rules.map((r) => (r.key === changed.key ? changed : r)),
                  }))
                }
                onRemove={() =>
                  setDraft((current) => ({
                    ...current,
                    rules: current.rules.filter((r) => r.key !== rule.key),
                  }))
                }
              />
            ))}
          </ol>
        )}
        <div
          className="mt-2 flex flex-wrap items-center gap-1.5"
          role="group"
          aria-label="Add a rule"
        >
          <span className="mr-1 text-xs text-ink-muted">Add a rule:</span>
          {ADDABLE_RULES.map(([kind, label]) => (
            <Button
              key={kind}
              data-testid={`policy-add-rule-${kind}`}
              onClick={() => {
                const rule = newRuleDraft(kind);
                setAddedKey(rule.key);
                setDraft((current) => ({ ...current, rules: [...current.rules, rule] }));
              }}
              variant="secondary"
              size="sm"
            >
              <Plus className="size-3" aria-hidden />
              {label}
            </Button>
          ))}
        </div>
      </div>

      <FormAlert testId="policy-save-error" message={save.isError ? save.error.message : null} />

      <div className="flex flex-wrap items-center gap-2 border-t border-line pt-4">
        <Button type="submit" data-testid="policy-save" pending={save.isPending}>
          Save policy
        </Button>
        <Button onClick={onCancel} variant="secondary">
          Cancel
        </Button>
        {submitted && validation.count > 0 ? (
          <p className="text-xs text-danger" role="alert" data-testid="policy-form-problems">
            {validation.count === 1
              ? "Fix the problem marked above to save."
              : `Fix the ${validation.count} problems marked above to save.`}
          </p>
        ) : (
          <p className="text-xs text-ink-muted">
            Saving a changed policy makes open requests for {environment.name} stale: their
            approvals are void and they must be requested again.
          </p>
        )}
      </div>
    </form>
  );
}

function NumberField({
  id,
  testId,
  label,
  value,
  onChange,
  error,
  hint,
  suffix,
  inputMode,
}: {
  id: string;
  testId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint: ReactNode;
  suffix?: string;
  inputMode: "numeric" | "decimal";
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-xs font-medium text-ink">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          data-testid={testId}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          inputMode={inputMode}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-${error ? "error" : "hint"}`}
          className={clsx(fieldClass, "w-24", error ? "border-danger" : "border-line-strong")}
        />
        {suffix ? <span className="text-xs text-ink-muted">{suffix}</span> : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-xs text-danger">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-ink-muted">
          {hint}
        </p>
      )}
    </div>
  );
}
