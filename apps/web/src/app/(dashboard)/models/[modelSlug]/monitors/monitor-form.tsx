"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Eye } from "lucide-react";
import { useId, useState, type FormEvent, type ReactNode } from "react";

import {
  MONITOR_METRICS,
  SEVERITIES,
  type MonitorSettings,
  type Severity,
} from "@plumbline/contracts";

import { FormActions, FormAlert } from "~/components/form-controls";
import { Button } from "~/components/ui/button";
import { controlClassName, Field } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

import { METRIC_LABELS, SEVERITY_LABELS } from "../../../alerts/alert-labels";
import {
  DEFAULT_STATISTICS,
  EMPTY_FORM,
  formStateOf,
  isPerFeature,
  settingsOf,
  type FormErrors,
  type MonitorFormState,
} from "./monitor-form-state";
import { PreviewChart } from "./preview-chart";

const KIND_LABELS = {
  static: "Static levels",
  relative: "Change vs a baseline",
  band: "Automatic band",
  statistical: "Drift tests",
} as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3">
      <legend className="mb-1 text-xs font-semibold tracking-wider text-ink-faint uppercase">
        {title}
      </legend>
      {children}
    </fieldset>
  );
}

/**
 * Creates or edits a monitor with plain fields (no JSON), and previews it over the last 7 days of
 * rollups before anything is saved. The same `MonitorSettings` schema as the server checks it.
 */
export function MonitorForm({
  projectSlug,
  modelSlug,
  monitorId,
  initial,
  onDone,
}: {
  projectSlug: string;
  modelSlug: string;
  /** Editing this monitor; creating one when absent. */
  monitorId?: string;
  initial?: MonitorSettings;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const [form, setForm] = useState<MonitorFormState>(() =>
    initial ? formStateOf(initial) : EMPTY_FORM,
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const channels = useQuery(trpc.monitors.channels.queryOptions({ projectSlug }));
  const create = useMutation(trpc.monitors.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.monitors.update.mutationOptions({ onSuccess: onDone }));
  const preview = useMutation(trpc.monitors.preview.mutationOptions());
  const save = monitorId ? update : create;

  const set = <K extends keyof MonitorFormState>(name: K, value: MonitorFormState[K]) =>
    setForm((current) => ({ ...current, [name]: value }));
  const id = (name: string) => `${ids}-${name}`;
  const invalid = (name: string) => (errors[name] ? true : undefined);

  const validated = () => {
    const result = settingsOf(form);
    setErrors(result.ok ? {} : result.errors);
    return result.ok ? result.settings : null;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const settings = validated();
    if (!settings) return;
    if (monitorId) update.mutate({ projectSlug, monitorId, settings });
    else create.mutate({ projectSlug, modelSlug, settings });
  };
  const runPreview = () => {
    const settings = validated();
    if (settings) preview.mutate({ projectSlug, modelSlug, settings });
  };

  const numberField = (
    name: keyof MonitorFormState,
    label: string,
    hint?: string,
    path?: string,
  ) => (
    <Field label={label} htmlFor={id(name)} hint={hint} error={errors[path ?? name]}>
      <input
        id={id(name)}
        inputMode="decimal"
        value={form[name] as string}
        aria-invalid={invalid(path ?? name)}
        onChange={(event) => set(name, event.target.value as never)}
        className={controlClassName()}
        data-testid={`monitor-${name}`}
      />
    </Field>
  );
  const select = (name: keyof MonitorFormState, label: string, options: Record<string, string>) => (
    <Field label={label} htmlFor={id(name)}>
      <select
        id={id(name)}
        value={form[name] as string}
        onChange={(event) => set(name, event.target.value as never)}
        className={controlClassName()}
        data-testid={`monitor-${name}`}
      >
        {Object.entries(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
  const levelLabel =
    form.kind === "relative" ? (form.change === "percent" ? " (%)" : " (points)") : "";

  return (
    <form onSubmit={submit} className="space-y-6" noValidate data-testid="monitor-form">
      <Section title="What it watches">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Name" htmlFor={id("name")} error={errors.name}>
            <input
              id={id("name")}
              value={form.name}
              aria-invalid={invalid("name")}
              onChange={(event) => set("name", event.target.value)}
              className={controlClassName()}
              data-testid="monitor-name"
              autoFocus
            />
          </Field>
          <Field label="Metric" htmlFor={id("metric")}>
            <select
              id={id("metric")}
              value={form.metric}
              data-testid="monitor-metric"
              onChange={(event) => {
                const metric = event.target.value as MonitorFormState["metric"];
                setForm((current) => ({
                  ...current,
                  metric,
                  statistic: DEFAULT_STATISTICS[metric],
                }));
              }}
              className={controlClassName()}
            >
              {MONITOR_METRICS.map((metric) => (
                <option key={metric} value={metric}>
                  {METRIC_LABELS[metric]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Statistic"
            htmlFor={id("statistic")}
            hint="Within the metric: p95, js, psi, null_rate, accuracy…"
            error={errors.statistic}
          >
            <input
              id={id("statistic")}
              value={form.statistic}
              aria-invalid={invalid("statistic")}
              onChange={(event) => set("statistic", event.target.value)}
              className={controlClassName()}
              data-testid="monitor-statistic"
            />
          </Field>
          {isPerFeature(form.metric) ? (
            <Field
              label="Feature"
              htmlFor={id("feature")}
              hint="Empty: every feature, one alert each."
              error={errors.feature}
            >
              <input
                id={id("feature")}
                value={form.feature}
                onChange={(event) => set("feature", event.target.value)}
                className={controlClassName()}
                data-testid="monitor-feature"
              />
            </Field>
          ) : null}
        </div>
      </Section>

      <Section title="When it alerts">
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Threshold" htmlFor={id("kind")}>
            <select
              id={id("kind")}
              value={form.kind}
              data-testid="monitor-kind"
              onChange={(event) => {
                const kind = event.target.value as MonitorFormState["kind"];
                setForm((current) => ({
                  ...current,
                  kind,
                  direction: kind === "relative" ? "either" : kind === "band" ? "either" : "above",
                }));
              }}
              className={controlClassName()}
            >
              {Object.entries(KIND_LABELS).map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </Field>
          {form.kind === "static"
            ? select("direction", "Breach when the value is", { above: "Above", below: "Below" })
            : null}
          {form.kind === "relative" ? (
            <>
              {select("baseline", "Compared with", {
                reference: "The reference",
                previous_period: "The previous window",
                last_week: "The same window last week",
              })}
              {select("change", "Change in", { points: "Points", percent: "Percent" })}
              {select("direction", "Direction", {
                either: "Either way",
                increase: "Increase",
                decrease: "Decrease",
              })}
            </>
          ) : null}
          {form.kind === "band" ? (
            <>
              {select("method", "Band", {
                median_mad: "Median ± k MAD",
                mean_sd: "Mean ± k sd",
              })}
              {select("direction", "Breach when", {
                either: "Outside the band",
                above: "Above it",
                below: "Below it",
              })}
            </>
          ) : null}
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          {form.kind === "static" || form.kind === "relative" ? (
            <>
              {numberField(
                "warning",
                `Warning level${levelLabel}`,
                "Empty: no warning.",
                "threshold.warning",
              )}
              {numberField(
                "critical",
                `Critical level${levelLabel}`,
                "Empty: never critical.",
                "threshold.critical",
              )}
            </>
          ) : null}
          {form.kind === "band" ? (
            <>
              {numberField("warningK", "Warning k", undefined, "threshold.warningK")}
              {numberField(
                "criticalK",
                "Critical k",
                "Empty: never critical.",
                "threshold.criticalK",
              )}
              {numberField(
                "trailingBuckets",
                "Over the last N buckets",
                undefined,
                "threshold.trailingBuckets",
              )}
            </>
          ) : null}
          {form.kind === "statistical" ? (
            <>
              <label className="flex items-center gap-2 self-end pb-2 text-[13px] text-ink">
                <input
                  type="checkbox"
                  checked={form.fdr}
                  onChange={(event) => set("fdr", event.target.checked)}
                  data-testid="monitor-fdr"
                />
                Control the false-discovery rate across features
              </label>
              {form.fdr
                ? numberField("fdrLevel", "FDR level q", undefined, "threshold.fdrLevel")
                : null}
            </>
          ) : null}
        </div>
        {errors.threshold ? <p className="text-xs text-danger">{errors.threshold}</p> : null}
      </Section>

      <Section title="Cadence and guards">
        <div className="grid gap-3 sm:grid-cols-5">
          {numberField("bucketMinutes", "Bucket (min)")}
          {numberField("windowMinutes", "Window (min)")}
          {numberField("minSamples", "Min samples")}
          {numberField("breachesToFire", "Fire after N", "consecutive breaches")}
          {numberField("healthyToResolve", "Resolve after M", "healthy evaluations")}
        </div>
      </Section>

      <Section title="Scope">
        <div className="grid gap-3 sm:grid-cols-4">
          <Field
            label="Version"
            htmlFor={id("version")}
            hint="Empty: every version."
            error={errors["scope.version"]}
          >
            <input
              id={id("version")}
              value={form.version}
              onChange={(event) => set("version", event.target.value)}
              className={controlClassName()}
            />
          </Field>
          {select("deployment", "Deployment", {
            "": "Any",
            stable: "Stable",
            canary: "Canary",
            shadow: "Shadow",
            challenger: "Challenger",
          })}
          <Field label="Segment" htmlFor={id("segmentName")} hint="Empty: all traffic.">
            <input
              id={id("segmentName")}
              value={form.segmentName}
              onChange={(event) => set("segmentName", event.target.value)}
              className={controlClassName()}
            />
          </Field>
          <Field label="Segment value" htmlFor={id("segmentValue")}>
            <input
              id={id("segmentValue")}
              value={form.segmentValue}
              disabled={form.segmentName.trim() === ""}
              onChange={(event) => set("segmentValue", event.target.value)}
              className={controlClassName()}
            />
          </Field>
        </div>
      </Section>

      <Section title="Who it tells">
        {channels.data && channels.data.length === 0 ? (
          <p className="text-[13px] text-ink-muted">
            No channels yet: an approver or admin adds webhooks, Slack or email under Settings.
            Alerts still appear in the inbox.
          </p>
        ) : (
          <ul
            className="divide-y divide-line rounded-lg border border-line"
            data-testid="monitor-routes"
          >
            {(channels.data ?? []).map((channel) => {
              const chosen = form.routes[channel.id] ?? [];
              const toggle = (severity: Severity, on: boolean) =>
                set("routes", {
                  ...form.routes,
                  [channel.id]: on
                    ? [...chosen, severity]
                    : chosen.filter((value) => value !== severity),
                });
              return (
                <li key={channel.id} className="flex items-center gap-4 px-3 py-2 text-[13px]">
                  <span className="min-w-0 flex-1 truncate">
                    <span className="mr-2 text-xs text-ink-faint uppercase">{channel.channel}</span>
                    {channel.label}
                    {channel.active ? null : <span className="text-ink-faint"> (paused)</span>}
                  </span>
                  {SEVERITIES.map((severity) => (
                    <label key={severity} className="flex items-center gap-1.5">
                      <input
                        type="checkbox"
                        checked={chosen.includes(severity)}
                        onChange={(event) => toggle(severity, event.target.checked)}
                      />
                      {SEVERITY_LABELS[severity]}
                    </label>
                  ))}
                </li>
              );
            })}
          </ul>
        )}
        <label className="flex items-center gap-2 text-[13px] text-ink">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(event) => set("enabled", event.target.checked)}
          />
          Enabled
        </label>
      </Section>

      <div className="space-y-3 rounded-lg border border-line bg-canvas px-4 py-3">
        <div className="flex items-center justify-between gap-3">
          <p className="text-xs text-ink-muted">
            Replays these settings over the last 7 days of rollups. Nothing is saved.
          </p>
          <Button
            variant="secondary"
            size="sm"
            icon={<Eye className="size-3.5" aria-hidden />}
            onClick={runPreview}
            pending={preview.isPending}
            data-testid="monitor-preview-button"
          >
            Preview
          </Button>
        </div>
        {preview.isError ? <FormAlert message={preview.error.message} /> : null}
        {preview.data ? <PreviewChart preview={preview.data} /> : null}
      </div>

      {Object.keys(errors).length > 0 ? (
        <FormAlert
          message="Some fields need attention (marked above)."
          testId="monitor-form-invalid"
        />
      ) : null}
      <FormAlert message={save.isError ? save.error.message : null} testId="monitor-form-error" />
      <FormActions
        submitLabel={monitorId ? "Save monitor" : "Create monitor"}
        submitTestId="monitor-save"
        pending={save.isPending}
        onCancel={onDone}
      />
    </form>
  );
}
