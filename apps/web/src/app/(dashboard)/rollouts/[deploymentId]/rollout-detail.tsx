"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Check, Circle, CircleDot, X } from "lucide-react";
import Link from "next/link";

import { formatDateTime } from "~/components/format/time";
import { PageHeader } from "~/components/page-header";
import { QueryError } from "~/components/query-error";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Card, CardHeader } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

import {
  DeploymentStateBadge,
  describeCondition,
  describeStep,
  formatMetricValue,
  formatSeconds,
  METRIC_KIND_LABELS,
  STATE_LABELS,
  type DeploymentDetail,
} from "../rollout-labels";
import { RolloutActions, type RolloutPermissions } from "./rollout-actions";

type Run = DeploymentDetail["runs"][number];
type Measurement = Run["measurements"][number];

const PHASE_TONES: Record<string, BadgeTone> = {
  successful: "success",
  failed: "danger",
  inconclusive: "canary",
  error: "danger",
  running: "accent",
};

/** Live: the split while the canary runs, refreshed every two seconds. */
function TrafficSplit({ view }: { view: DeploymentDetail }) {
  const canary = view.weight;
  return (
    <Card data-testid="traffic-split">
      <CardHeader
        title="Traffic split"
        description="What the serving layer reads from GET /v1/models/{model}/routing and the deployment webhooks."
      />
      <div className="space-y-3 px-5 py-4">
        <div
          className="flex h-7 overflow-hidden rounded-md ring-1 ring-line"
          role="img"
          aria-label={`stable ${100 - canary} %, canary ${canary} %`}
        >
          <div
            className="grid place-items-center bg-indigo-500/80 text-[11px] font-medium text-white"
            style={{ width: `${100 - canary}%` }}
          >
            {100 - canary >= 15 ? `stable ${100 - canary} %` : null}
          </div>
          <div
            className="grid place-items-center bg-amber-500/90 text-[11px] font-medium text-white"
            style={{ width: `${canary}%` }}
            data-testid="canary-weight"
            data-weight={canary}
          >
            {canary >= 15 ? `canary ${canary} %` : null}
          </div>
        </div>
        <div className="flex justify-between text-xs text-ink-muted">
          <span>
            Stable <span className="font-mono">v{view.stableVersion ?? "—"}</span> · {100 - canary}{" "}
            %
          </span>
          <span>
            Canary <span className="font-mono">v{view.candidateVersion}</span> · {canary} %
          </span>
        </div>
      </div>
    </Card>
  );
}

function StepTimeline({ view }: { view: DeploymentDetail }) {
  const done = new Map(
    view.steps
      .filter((step) => step.attempt === view.attempt)
      .map((step) => [step.stepIndex, step] as const),
  );
  const finished = view.state === "succeeded" || view.state === "rolled_back";
  return (
    <Card data-testid="step-timeline">
      <CardHeader
        title="Steps"
        description={`Attempt ${view.attempt}; progress deadline ${formatSeconds(view.strategy.progressDeadlineSeconds)} per analysis.`}
      />
      <ol className="px-5 py-3">
        {view.strategy.steps.map((step, index) => {
          const record = done.get(index);
          const current = index === view.stepIndex && !finished;
          const completed = record?.completedAt != null;
          const abandoned = view.state === "rolled_back" && !completed && record !== undefined;
          const Icon = completed ? Check : abandoned ? X : current ? CircleDot : Circle;
          return (
            <li
              key={index}
              className="flex items-start gap-3 py-1.5"
              data-testid="rollout-step"
              data-status={
                completed ? "done" : current ? "current" : abandoned ? "abandoned" : "todo"
              }
            >
              <Icon
                className={clsx(
                  "mt-0.5 size-4 shrink-0",
                  completed && "text-emerald-600",
                  current && "text-accent-strong",
                  abandoned && "text-red-600",
                  !completed && !current && !abandoned && "text-ink-faint",
                )}
                aria-hidden
              />
              <div className="min-w-0 text-[13px]">
                <div className={clsx(current ? "font-medium text-ink" : "text-ink-muted")}>
                  {describeStep(step)}
                  {current && view.state === "paused" && view.pauseUntil ? (
                    <span className="text-ink-faint">
                      {" "}
                      · until {formatDateTime(view.pauseUntil)}
                    </span>
                  ) : null}
                  {current && view.pauseReason === "inconclusive" ? (
                    <span className="text-amber-700 dark:text-amber-300">
                      {" "}
                      · inconclusive: waiting for an approver
                    </span>
                  ) : null}
                </div>
                {record ? (
                  <div className="text-xs text-ink-faint">
                    started {formatDateTime(record.startedAt)}
                    {record.completedAt
                      ? ` · done ${formatDateTime(record.completedAt)}${record.completedVia === "person" ? " by a person" : ""}`
                      : ""}
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}

function MeasurementRows({ run }: { run: Run }) {
  return (
    <>
      {run.metrics.map((metric) => {
        const rows = run.measurements.filter((m: Measurement) => m.metricName === metric.name);
        return (
          <div
            key={metric.name}
            className="border-t border-line first:border-t-0"
            data-testid="analysis-metric"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2 px-5 pt-3">
              <div className="text-[13px] font-medium text-ink">
                {metric.name}{" "}
                <span className="font-normal text-ink-muted">
                  · {METRIC_KIND_LABELS[metric.kind] ?? metric.kind}
                </span>
              </div>
              <div className="text-xs text-ink-faint">
                every {formatSeconds(metric.intervalSeconds)} × {metric.count} · min{" "}
                {metric.minSamples} samples · failureLimit {metric.failureLimit} · inconclusiveLimit{" "}
                {metric.inconclusiveLimit} · consecutiveErrorLimit {metric.consecutiveErrorLimit}
              </div>
            </div>
            <Table>
              <TableHead>
                <tr>
                  <TableHeaderCell>#</TableHeaderCell>
                  <TableHeaderCell>Window</TableHeaderCell>
                  <TableHeaderCell numeric>Canary</TableHeaderCell>
                  <TableHeaderCell numeric>Stable</TableHeaderCell>
                  <TableHeaderCell numeric>Value</TableHeaderCell>
                  <TableHeaderCell>Judged by</TableHeaderCell>
                  <TableHeaderCell>Outcome</TableHeaderCell>
                </tr>
              </TableHead>
              <tbody>
                {rows.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={7} className="text-ink-faint">
                      No measurement yet: the first comes{" "}
                      {formatSeconds(metric.initialDelaySeconds + metric.intervalSeconds)} after the
                      analysis starts.
                    </TableCell>
                  </TableRow>
                ) : null}
                {rows.map((m: Measurement) => (
                  <TableRow
                    key={m.measurementIndex}
                    data-testid="analysis-measurement"
                    data-phase={m.phase}
                  >
                    <TableCell className="text-ink-faint">{m.measurementIndex + 1}</TableCell>
                    <TableCell className="text-xs whitespace-nowrap text-ink-muted">
                      {formatDateTime(m.windowStart)} →{" "}
                      {new Date(m.windowEnd).toLocaleTimeString("en-GB")}
                    </TableCell>
                    <TableCell numeric>
                      {formatMetricValue(m.canaryValue)}
                      <div className="text-[11px] text-ink-faint">n = {m.canarySamples}</div>
                    </TableCell>
                    <TableCell numeric>
                      {formatMetricValue(m.stableValue)}
                      <div className="text-[11px] text-ink-faint">n = {m.stableSamples}</div>
                    </TableCell>
                    <TableCell numeric className="font-medium">
                      {formatMetricValue(m.value)}
                    </TableCell>
                    <TableCell className="text-xs whitespace-nowrap">
                      <div>fail if {describeCondition(m.failureCondition)}</div>
                      <div className="text-ink-faint">
                        pass if {describeCondition(m.successCondition)}
                      </div>
                    </TableCell>
                    <TableCell>
                      <Badge tone={PHASE_TONES[m.phase] ?? "neutral"}>{m.phase}</Badge>
                      <div className="mt-1 max-w-56 text-[11px] text-ink-faint">{m.reason}</div>
                    </TableCell>
                  </TableRow>
                ))}
              </tbody>
            </Table>
          </div>
        );
      })}
    </>
  );
}

function AnalysisRuns({ view }: { view: DeploymentDetail }) {
  if (view.runs.length === 0) return null;
  return (
    <>
      {view.runs.map((run) => (
        <Card key={run.id} data-testid="analysis-run" data-phase={run.phase}>
          <CardHeader
            title={`Analysis · step ${run.stepIndex + 1}${view.attempt > 1 ? ` · attempt ${run.attempt}` : ""}`}
            description={
              run.message ??
              "Canary against stable over the same window, from the rollups; each measurement judged by its metric's conditions."
            }
            actions={<Badge tone={PHASE_TONES[run.phase] ?? "neutral"}>{run.phase}</Badge>}
          />
          <MeasurementRows run={run} />
        </Card>
      ))}
    </>
  );
}

const EVENT_TEXT: Record<string, string> = {
  created: "Deployment created from the approved promotion",
  analysis_started: "Analysis started",
  notified: "Approvers notified",
  alert_fired: "Rollback alert fired",
};

function Events({ view }: { view: DeploymentDetail }) {
  return (
    <Card data-testid="rollout-events">
      <CardHeader
        title="Timeline"
        description="Every change, oldest first; each is also in the audit log."
      />
      <ol className="px-5 py-3 text-[13px]">
        {view.events.map((event) => (
          <li key={event.id} className="flex gap-3 py-1">
            <span className="w-36 shrink-0 text-xs text-ink-faint">
              {formatDateTime(event.occurredAt)}
            </span>
            <span className="text-ink-muted">
              {event.kind === "transition" && event.toState
                ? `${STATE_LABELS[event.toState]}${event.reason ? ` (${event.reason})` : ""}`
                : event.kind === "weight_changed"
                  ? `Canary weight ${event.weightFrom} % → ${event.weightTo} %`
                  : (EVENT_TEXT[event.kind] ?? event.kind)}
              <span className="text-ink-faint">
                {" "}
                · {event.actorType === "system" ? "Plumbline" : "a person"}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

export function RolloutDetail({
  projectSlug,
  deploymentId,
  userId,
  permissions,
}: {
  projectSlug: string;
  deploymentId: string;
  userId: string;
  permissions: RolloutPermissions;
}) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.rollouts.get.queryOptions({ projectSlug, deploymentId }),
    refetchInterval: (current) => {
      const state = current.state.data?.state;
      return state === "succeeded" || state === "rolled_back" ? false : 2_000;
    },
  });
  if (query.isPending) return <Skeleton className="h-96 w-full" />;
  if (query.isError) return <QueryError error={query.error} />;
  const view = query.data;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/rollouts" className="hover:underline">
            Rollouts
          </Link>
        }
        title={
          <span className="flex flex-wrap items-center gap-2">
            <Link href={`/models/${view.modelSlug}`} className="hover:underline">
              {view.modelName}
            </Link>
            <span className="font-mono text-base text-ink-muted">
              v{view.stableVersion ?? "—"} → v{view.candidateVersion}
            </span>
            <span className="text-base font-normal text-ink-muted">to {view.environment}</span>
            <DeploymentStateBadge state={view.state} />
          </span>
        }
        description={
          view.message ??
          `A failing canary rolls back within ${formatSeconds(view.rollbackBoundSeconds)} of its analysis starting (initial delay + (failureLimit + 1) × interval), plus ingest lag.`
        }
        actions={
          <RolloutActions
            projectSlug={projectSlug}
            view={view}
            userId={userId}
            permissions={permissions}
          />
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <div className="space-y-6">
          <TrafficSplit view={view} />
          <StepTimeline view={view} />
        </div>
        <Events view={view} />
      </div>
      <div className="mt-6 space-y-6">
        <AnalysisRuns view={view} />
      </div>
    </>
  );
}
