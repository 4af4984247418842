"use client";

import { clsx } from "clsx";
import { CalendarRange, Pause, Play } from "lucide-react";
import { useState, type ReactNode } from "react";

import { DEPLOYMENTS, type DashboardSlice, type RangePreset } from "@plumbline/contracts";

import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName, Field } from "~/components/ui/field";
import {
  RANGE_LABELS,
  RANGE_PRESETS,
  type Comparison,
  type DashboardViewState,
} from "~/dashboard/url-state";

const selectClass = clsx(controlClassName({ size: "sm", block: false }), "pr-7");

export interface SegmentOption {
  name: string;
  values: { value: string; count: number }[];
}

/** The range presets as a segmented control, plus "Custom" that opens a from/to dialog. */
function RangePicker({
  state,
  onChange,
}: {
  state: DashboardViewState;
  onChange: (range: DashboardViewState["range"]) => void;
}) {
  const [open, setOpen] = useState(false);
  const active = "preset" in state.range ? state.range.preset : "custom";
  return (
    <>
      <div
        role="radiogroup"
        aria-label="Time range"
        className="inline-flex h-8 items-center rounded-lg border border-line-strong bg-surface p-0.5 shadow-card"
        data-testid="range-picker"
      >
        {RANGE_PRESETS.map((preset: RangePreset) => (
          <button
            key={preset}
            type="button"
            role="radio"
            aria-checked={active === preset}
            title={`Last ${RANGE_LABELS[preset]}`}
            data-testid={`range-${preset}`}
            onClick={() => onChange({ preset })}
            className={clsx(
              "h-full rounded-md px-2.5 text-xs font-medium tabular-nums transition",
              active === preset ? "bg-ink text-surface" : "text-ink-muted hover:text-ink",
            )}
          >
            {preset}
          </button>
        ))}
        <button
          type="button"
          role="radio"
          aria-checked={active === "custom"}
          data-testid="range-custom"
          onClick={() => setOpen(true)}
          className={clsx(
            "inline-flex h-full items-center gap-1 rounded-md px-2.5 text-xs font-medium transition",
            active === "custom" ? "bg-ink text-surface" : "text-ink-muted hover:text-ink",
          )}
        >
          <CalendarRange className="size-3.5" aria-hidden />
          Custom
        </button>
      </div>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Custom range"
        description="In your local time. Up to 90 days; a range in the past does not update live."
        testId="custom-range-dialog"
      >
        <CustomRangeForm
          initial={"preset" in state.range ? null : state.range}
          onSubmit={(range) => {
            setOpen(false);
            onChange(range);
          }}
        />
      </Dialog>
    </>
  );
}

/** "2026-03-03T14:05" in local time, the value format of datetime-local inputs. */
function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function CustomRangeForm({
  initial,
  onSubmit,
}: {
  initial: { from: Date; to: Date } | null;
  onSubmit: (range: { from: Date; to: Date }) => void;
}) {
  const [from, setFrom] = useState(() =>
    toLocalInput(initial?.from ?? new Date(Date.now() - 24 * 3_600_000)),
  );
  const [to, setTo] = useState(() => toLocalInput(initial?.to ?? new Date()));
  const fromDate = new Date(from);
  const toDate = new Date(to);
  const error =
    Number.isNaN(fromDate.getTime()) || Number.isNaN(toDate.getTime())
      ? "Pick both ends."
      : toDate <= fromDate
        ? "The range must end after it starts."
        : toDate.getTime() - fromDate.getTime() > 90 * 86_400_000
          ? "A range may span at most 90 days."
          : null;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!error) onSubmit({ from: fromDate, to: toDate });
      }}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="From" htmlFor="range-from">
          <input
            id="range-from"
            type="datetime-local"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            className={controlClassName()}
          />
        </Field>
        <Field label="To" htmlFor="range-to" error={error}>
          <input
            id="range-to"
            type="datetime-local"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            aria-invalid={error ? true : undefined}
            className={controlClassName()}
          />
        </Field>
      </div>
      <Button type="submit" disabled={Boolean(error)} data-testid="custom-range-apply">
        Show this range
      </Button>
    </form>
  );
}

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex items-center gap-1.5 text-xs text-ink-muted">
      {label}
      {children}
    </label>
  );
}

/** Version, deployment and segment filters. */
function SliceFilters({
  slice,
  versions,
  segments,
  onChange,
  comparing,
}: {
  slice: DashboardSlice;
  versions: string[];
  segments: SegmentOption[];
  onChange: (slice: DashboardSlice) => void;
  comparing: Comparison | null;
}) {
  const segmentKey = slice.segment ? `${slice.segment.name}\u0000${slice.segment.value}` : "";
  return (
    <>
      <Labelled label="Version">
        <select
          data-testid="filter-version"
          className={selectClass}
          value={slice.version ?? ""}
          disabled={comparing?.kind === "versions"}
          onChange={(event) => onChange({ ...slice, version: event.target.value || undefined })}
        >
          <option value="">All</option>
          {versions.map((version) => (
            <option key={version} value={version}>
              v{version}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Deployment">
        <select
          data-testid="filter-deployment"
          className={selectClass}
          value={slice.deployment ?? ""}
          disabled={comparing?.kind === "deployments"}
          onChange={(event) => {
            const deployment = DEPLOYMENTS.find((d) => d === event.target.value);
            onChange({ ...slice, deployment });
          }}
        >
          <option value="">All</option>
          {DEPLOYMENTS.map((deployment) => (
            <option key={deployment} value={deployment}>
              {deployment}
            </option>
          ))}
        </select>
      </Labelled>
      {segments.length > 0 || slice.segment ? (
        <Labelled label="Segment">
          <select
            data-testid="filter-segment"
            className={clsx(selectClass, "max-w-52")}
            value={segmentKey}
            onChange={(event) => {
              const [name, value] = event.target.value.split("\u0000");
              onChange({
                ...slice,
                segment: name && value !== undefined ? { name, value } : undefined,
              });
            }}
          >
            <option value="">All</option>
            {slice.segment &&
            !segments.some((s) =>
              s.values.some(
                (v) => s.name === slice.segment?.name && v.value === slice.segment.value,
              ),
            ) ? (
              <option value={segmentKey}>
                {slice.segment.name} = {slice.segment.value}
              </option>
            ) : null}
            {segments.map((segment) => (
              <optgroup key={segment.name} label={segment.name}>
                {segment.values.map((value) => (
                  <option key={value.value} value={`${segment.name}\u0000${value.value}`}>
                    {segment.name} = {value.value}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </Labelled>
      ) : null}
    </>
  );
}

function ComparisonPicker({
  compare,
  versions,
  onChange,
}: {
  compare: Comparison | null;
  versions: string[];
  onChange: (compare: Comparison | null) => void;
}) {
  const kind = compare?.kind ?? "";
  const [a, b] = compare?.kind === "versions" ? [compare.a, compare.b] : [versions[1], versions[0]];
  return (
    <>
      <Labelled label="Compare">
        <select
          data-testid="compare-kind"
          className={selectClass}
          value={kind}
          onChange={(event) => {
            const next = event.target.value;
            if (next === "deployments") onChange({ kind: "deployments" });
            else if (next === "versions" && a && b && a !== b) onChange({ kind: "versions", a, b });
            else onChange(null);
          }}
        >
          <option value="">Nothing</option>
          <option value="deployments">Canary vs stable</option>
          <option value="versions" disabled={versions.length < 2}>
            Two versions
          </option>
        </select>
      </Labelled>
      {compare?.kind === "versions" ? (
        <span className="flex items-center gap-1.5 text-xs text-ink-muted">
          <select
            aria-label="First version"
            data-testid="compare-a"
            className={selectClass}
            value={compare.a}
            onChange={(event) =>
              event.target.value !== compare.b && onChange({ ...compare, a: event.target.value })
            }
          >
            {versions.map((version) => (
              <option key={version} value={version}>
                v{version}
              </option>
            ))}
          </select>
          vs
          <select
            aria-label="Second version"
            data-testid="compare-b"
            className={selectClass}
            value={compare.b}
            onChange={(event) =>
              event.target.value !== compare.a && onChange({ ...compare, b: event.target.value })
            }
          >
            {versions.map((version) => (
              <option key={version} value={version}>
                v{version}
              </option>
            ))}
          </select>
        </span>
      ) : null}
    </>
  );
}

export type LiveMode = "streaming" | "polling" | "paused" | "past";

const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Live (streaming), polling (the stream is down), paused by the reader, or a past range. */
export function LiveIndicator({
  mode,
  updatedAt,
  onToggle,
}: {
  mode: LiveMode;
  updatedAt: number;
  onToggle: () => void;
}) {
  const tone = {
    streaming:
      "bg-success-soft text-emerald-700 ring-emerald-200 dark:text-emerald-300 dark:ring-emerald-800/70",
    polling:
      "bg-warning-soft text-amber-800 ring-amber-200 dark:text-amber-300 dark:ring-amber-800/70",
    paused: "bg-subtle text-ink-muted ring-line-strong",
    past: "bg-subtle text-ink-muted ring-line-strong",
  }[mode];
  const label = {
    streaming: "Live",
    polling: "Live (polling)",
    paused: "Paused",
    past: "Past range",
  }[mode];
  return (
    <div
      className="flex items-center gap-2 text-xs text-ink-muted"
      data-testid="live-status"
      data-mode={mode}
    >
      <span
        className={clsx(
          "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset",
          tone,
        )}
      >
        <span
          className={clsx(
            "size-1.5 rounded-full",
            mode === "streaming" && "animate-pulse-dot bg-live",
            mode === "polling" && "bg-canary",
            (mode === "paused" || mode === "past") && "bg-ink-faint",
          )}
        />
        {label}
      </span>
      {updatedAt > 0 ? (
        <span className="tabular-nums" data-testid="last-updated">
          Updated {clock.format(updatedAt)}
        </span>
      ) : null}
      {mode !== "past" ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={onToggle}
          data-testid="live-toggle"
          aria-label={mode === "paused" ? "Resume live updates" : "Pause live updates"}
          icon={
            mode === "paused" ? (
              <Play className="size-3" aria-hidden />
            ) : (
              <Pause className="size-3" aria-hidden />
            )
          }
        >
          {mode === "paused" ? "Resume" : "Pause"}
        </Button>
      ) : null}
    </div>
  );
}

export function DashboardToolbar({
  state,
  versions,
  segments,
  onChange,
  liveIndicator,
  actions,
  interactive,
}: {
  state: DashboardViewState;
  versions: string[];
  segments: SegmentOption[];
  onChange: (state: DashboardViewState) => void;
  liveIndicator: ReactNode;
  actions?: ReactNode;
  /** False in the server's HTML: a change made before hydration would be lost. */
  interactive: boolean;
}) {
  return (
    <div
      className="sticky top-0 z-20 -mx-8 mb-6 space-y-3 border-b border-line bg-canvas/90 px-8 py-3 backdrop-blur"
      data-testid="dashboard-toolbar"
      data-interactive={interactive}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker state={state} onChange={(range) => onChange({ ...state, range })} />
        <div className="flex items-center gap-3">
          {liveIndicator}
          {actions}
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <SliceFilters
          slice={state.slice}
          versions={versions}
          segments={segments}
          comparing={state.compare}
          onChange={(slice) => onChange({ ...state, slice })}
        />
        <span className="h-4 w-px bg-line-strong" aria-hidden />
        <ComparisonPicker
          compare={state.compare}
          versions={versions}
          onChange={(compare) => onChange({ ...state, compare })}
        />
      </div>
    </div>
  );
}
