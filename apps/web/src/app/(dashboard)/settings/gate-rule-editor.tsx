"use client";

import { clsx } from "clsx";
import { ChevronDown, X } from "lucide-react";
import { useId, type ReactNode } from "react";

import {
  EVALUATION_KIND_LABELS,
  FAILURE_MODE_LABELS,
  FAIRNESS_METRIC_COMPARATOR,
  FAIRNESS_METRIC_LABELS,
  comparatorSymbol,
  type Comparator,
  type EvaluationKind,
  type FairnessMetric,
  type GateFailureMode,
} from "./gate-rule-text";
import type { RuleDraft, RuleField } from "./policy-draft";

/** Inputs and selects of the policy form; the caller sets the width. */
export const fieldClass =
  "h-8 rounded-md border bg-surface px-2.5 text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15 disabled:cursor-not-allowed disabled:bg-canvas disabled:text-ink-muted";

/** What the "Check" select offers; the two metric kinds are one check with a "compare with". */
type Check = "metric" | "fairness" | "evaluation_outcome" | "model_card_complete";

const CHECK_LABELS: Record<Check, string> = {
  metric: "Metric",
  fairness: "Fairness",
  evaluation_outcome: "Evaluation passed",
  model_card_complete: "Model card complete",
};

const checkOf = (rule: RuleDraft): Check =>
  rule.kind === "metric_vs_baseline" || rule.kind === "metric_threshold" ? "metric" : rule.kind;

/** One gate rule of the policy form: what it checks, its threshold, and what a failure does. */
export function GateRuleEditor({
  rule,
  position,
  resolvedId,
  errors,
  autoFocus,
  onChange,
  onRemove,
}: {
  rule: RuleDraft;
  /** 1-based, as the messages name it. */
  position: number;
  /** The ID the rule is saved with: its own, or the one derived when the field is empty. */
  resolvedId: string;
  errors: Partial<Record<RuleField, string>> | undefined;
  autoFocus: boolean;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}) {
  const ids = useId();
  const set = (changes: Partial<RuleDraft>) => onChange({ ...rule, ...changes });
  const check = checkOf(rule);
  const problems = Object.entries(errors ?? {}) as [RuleField, string][];

  const setCheck = (next: Check) => {
    if (next === "metric") set({ kind: "metric_vs_baseline" });
    else if (next === "fairness") {
      set({ kind: "fairness", comparator: FAIRNESS_METRIC_COMPARATOR[rule.fairnessMetric] });
    } else set({ kind: next });
  };

  const input = (
    field: RuleField,
    label: ReactNode,
    props: { placeholder?: string; inputMode?: "decimal" | "numeric"; className?: string },
  ) => (
    <Field id={`${ids}-${field}`} label={label} className={props.className}>
      <input
        id={`${ids}-${field}`}
        data-testid={`rule-${field}`}
        value={rule[field]}
        onChange={(event) => set({ [field]: event.target.value })}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        aria-invalid={errors?.[field] ? true : undefined}
        aria-describedby={errors?.[field] ? `${ids}-${field}-error` : undefined}
        className={clsx(
          fieldClass,
          "w-full",
          errors?.[field] ? "border-danger" : "border-line-strong",
        )}
      />
    </Field>
  );

  return (
    <li
      className="rounded-lg border border-line bg-surface px-4 py-3 shadow-card"
      data-testid="rule-editor"
      data-kind={rule.kind}
      data-rule-id={rule.id}
      aria-label={`Rule ${position}`}
    >
      <div className="flex flex-wrap items-end gap-3">
        <span className="mb-1.5 grid size-5 shrink-0 place-items-center rounded-full bg-subtle text-[11px] font-medium text-ink-muted tabular-nums">
          {position}
        </span>
        <Field id={`${ids}-check`} label="Check" className="w-44">
          <Select
            id={`${ids}-check`}
            testId="rule-check"
            value={check}
            autoFocus={autoFocus}
            onChange={(value) => setCheck(value as Check)}
            options={Object.entries(CHECK_LABELS)}
          />
        </Field>
        {input("id", "ID", {
          placeholder: resolvedId,
          className: "w-56",
        })}
        <Field id={`${ids}-on-fail`} label="When it fails" className="w-52">
          <Select
            id={`${ids}-on-fail`}
            testId="rule-on-fail"
            value={rule.onFail}
            onChange={(value) => set({ onFail: value as GateFailureMode })}
            options={Object.entries(FAILURE_MODE_LABELS)}
          />
        </Field>
        <button
          type="button"
          onClick={onRemove}
          data-testid="rule-remove"
          aria-label={`Remove rule ${position}`}
          title="Remove this rule"
          className="mb-0.5 ml-auto grid size-7 place-items-center rounded-md text-ink-faint hover:bg-danger-soft hover:text-danger"
        >
          <X className="size-4" aria-hidden />
        </button>
      </div>

      {check === "model_card_complete" ? null : (
        // Indented past the rule's number, under the first row's fields.
        <div className="mt-3 flex flex-wrap items-start gap-3 pl-8">
          {check === "metric" ? (
            <>
              {input("metric", "Metric", { placeholder: "auc", className: "w-36" })}
              {input("slice", "Slice", { placeholder: "whole set", className: "w-36" })}
              <Field id={`${ids}-against`} label="Compared with" className="w-40">
                <Select
                  id={`${ids}-against`}
                  testId="rule-against"
                  value={rule.kind}
                  onChange={(value) => set({ kind: value as RuleDraft["kind"] })}
                  options={[
                    ["metric_vs_baseline", "the baseline"],
                    ["metric_threshold", "a fixed threshold"],
                  ]}
                />
              </Field>
              <ComparatorField
                id={`${ids}-comparator`}
                value={rule.comparator}
                onChange={(comparator) => set({ comparator })}
              />
              {rule.kind === "metric_vs_baseline"
                ? input("delta", "Tolerance", {
                    placeholder: "0.01",
                    inputMode: "decimal",
                    className: "w-28",
                  })
                : input("threshold", "Threshold", {
                    placeholder: "0.75",
                    inputMode: "decimal",
                    className: "w-28",
                  })}
            </>
          ) : null}
          {check === "fairness" ? (
            <>
              <Field id={`${ids}-fairness-metric`} label="Metric" className="w-60">
                <Select
                  id={`${ids}-fairness-metric`}
                  testId="rule-fairness-metric"
                  value={rule.fairnessMetric}
                  onChange={(value) => {
                    const metric = value as FairnessMetric;
                    set({ fairnessMetric: metric, comparator: FAIRNESS_METRIC_COMPARATOR[metric] });
                  }}
                  options={Object.entries(FAIRNESS_METRIC_LABELS)}
                />
              </Field>
              {input("sensitiveFeature", "Sensitive feature", {
                placeholder: "every feature",
                className: "w-36",
              })}
              <ComparatorField
                id={`${ids}-comparator`}
                value={rule.comparator}
                onChange={(comparator) => set({ comparator })}
              />
              {input("threshold", "Limit", {
                placeholder: "0.8",
                inputMode: "decimal",
                className: "w-24",
              })}
              {input("minGroupSize", "Min. group size", {
                placeholder: "policy's",
                inputMode: "numeric",
                className: "w-32",
              })}
            </>
          ) : null}
          {check === "evaluation_outcome" ? (
            <Field id={`${ids}-evaluation`} label="Evaluation" className="w-52">
              <Select
                id={`${ids}-evaluation`}
                testId="rule-evaluation-kind"
                value={rule.evaluationKind}
                onChange={(value) => set({ evaluationKind: value as EvaluationKind })}
                options={Object.entries(EVALUATION_KIND_LABELS)}
              />
            </Field>
          ) : null}
        </div>
      )}
      {problems.length > 0 ? (
        // Under the row rather than under each narrow field, where a sentence would not fit.
        <ul className="mt-2 space-y-0.5 pl-8 text-xs text-danger" data-testid="rule-errors">
          {problems.map(([field, message]) => (
            <li key={field} id={`${ids}-${field}-error`}>
              {message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="mt-2 pl-8 text-xs leading-relaxed text-ink-muted" data-testid="rule-hint">
        {ruleHint(rule)}
      </p>
    </li>
  );
}

/** The rule in words, so that the fields above read as a sentence. */
function ruleHint(rule: RuleDraft): string {
  const symbol = comparatorSymbol(rule.comparator);
  const metric = rule.metric.trim() || "metric";
  const slice = rule.slice.trim();
  const on = slice === "" ? "" : slice === "*" ? " on every slice" : ` on slice ${slice}`;
  switch (rule.kind) {
    case "metric_vs_baseline":
      return `Passes when the candidate's ${metric}${on} is ${symbol} the serving version's ${
        rule.comparator === ">=" ? "minus" : "plus"
      } ${rule.delta.trim() || "the tolerance"}. Inconclusive on a first release. Slice * checks every slice.`;
    case "metric_threshold":
      return `Passes when the candidate's ${metric}${on} is ${symbol} ${rule.threshold.trim() || "the threshold"}. Slice * checks every slice.`;
    case "fairness":
      return `Passes when the ${FAIRNESS_METRIC_LABELS[rule.fairnessMetric].toLowerCase()} is ${symbol} ${
        rule.threshold.trim() || "the limit"
      } for ${rule.sensitiveFeature.trim() || "each sensitive feature"}; groups below the minimum size make it inconclusive.`;
    case "evaluation_outcome":
      return `Passes when the version's latest ${EVALUATION_KIND_LABELS[rule.evaluationKind].toLowerCase()} evaluation passed.`;
    case "model_card_complete":
      return "Passes when the version's model card has every required section.";
  }
}

function Field({
  id,
  label,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  className?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={clsx("space-y-1", className)}>
      <label htmlFor={id} className="block text-[11px] font-medium text-ink-muted">
        {label}
      </label>
      {children}
    </div>
  );
}

function Select({
  id,
  testId,
  value,
  options,
  autoFocus,
  onChange,
}: {
  id: string;
  testId: string;
  value: string;
  options: [string, string][];
  autoFocus?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <span className="relative block">
      <select
        id={id}
        data-testid={testId}
        value={value}
        autoFocus={autoFocus}
        onChange={(event) => onChange(event.target.value)}
        className={clsx(
          fieldClass,
          "w-full cursor-pointer appearance-none border-line-strong pr-7",
        )}
      >
        {options.map(([optionValue, label]) => (
          <option key={optionValue} value={optionValue}>
            {label}
          </option>
        ))}
      </select>
      <ChevronDown
        className="pointer-events-none absolute top-1/2 right-2 size-3.5 -translate-y-1/2 text-ink-faint"
        aria-hidden
      />
    </span>
  );
}

function ComparatorField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: Comparator;
  onChange: (comparator: Comparator) => void;
}) {
  return (
    <Field id={id} label="Must be" className="w-32">
      <Select
        id={id}
        testId="rule-comparator"
        value={value}
        onChange={(next) => onChange(next as Comparator)}
        options={[
          [">=", "≥ at least"],
          ["<=", "≤ at most"],
        ]}
      />
    </Field>
  );
}
