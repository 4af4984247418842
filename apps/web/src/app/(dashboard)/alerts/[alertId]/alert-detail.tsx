"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { ChevronRight, LineChart, Rocket, SearchX } from "lucide-react";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";

import type { AlertEventKind, DashboardSlice } from "@plumbline/contracts";
import type { RouterOutputs } from "@plumbline/api";

import { formatPValue, formatStatistic } from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { controlClassName } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

import {
  AlertStateBadge,
  describeThreshold,
  formatReading,
  METRIC_LABELS,
  recordedThreshold,
  SeverityBadge,
} from "../alert-labels";
import { AlertActionBar, useRefreshAlerts } from "./alert-action-bar";
import { triggeringWindowHref } from "./alert-window-link";

type AlertView = RouterOutputs["alerts"]["get"];
type TimelineEntry = AlertView["timeline"][number];

const EVENT_LABELS: Record<AlertEventKind, string> = {
  breached: "Breached the threshold",
  rebreached: "Breached again after looking healthy",
  fired: "Fired",
  escalated: "Escalated to critical",
  healthy: "Looked healthy",
  acknowledged: "Acknowledged",
  assigned: "Changed the owner",
  commented: "Commented",
  snoozed: "Snoozed",
  snooze_expired: "Snooze ran out",
  resolved: "Resolved",
  false_alarm: "Marked as a false alarm",
  notified: "Notified the monitor's channels",
  retraining_triggered: "Requested retraining",
};

function eventLine(entry: TimelineEntry, names: Map<string, string>): string {
  const who = entry.actorName ?? (entry.actorId ? "Someone" : "Plumbline");
  const label = EVENT_LABELS[entry.kind];
  if (entry.kind === "snoozed" && typeof entry.details.until === "string") {
    return `${who}: snoozed until ${formatDateTime(entry.details.until)}`;
  }
  if (entry.kind === "assigned") {
    const owner = entry.details.ownerId;
    return typeof owner === "string"
      ? `${who}: assigned to ${names.get(owner) ?? "a member"}`
      : `${who}: unassigned`;
  }
  return `${who}: ${label.toLowerCase()}`;
}

function CommentBox({ projectSlug, alertId }: { projectSlug: string; alertId: string }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefreshAlerts();
  const [body, setBody] = useState("");
  const comment = useMutation(
    trpc.alerts.comment.mutationOptions({
      onSuccess: async () => {
        setBody("");
        await refresh();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === "") return;
    comment.mutate({ projectSlug, alertId, body });
  };
  return (
    <form onSubmit={submit} className="space-y-2 border-t border-line px-5 py-4" noValidate>
      <label htmlFor={id} className="block text-xs font-medium text-ink">
        Add a comment
      </label>
      <textarea
        id={id}
        rows={3}
        value={body}
        maxLength={4000}
        onChange={(event) => setBody(event.target.value)}
        placeholder="What you found, what you are doing about it."
        className={controlClassName({ size: "auto" })}
        data-testid="alert-comment-body"
      />
      {comment.isError ? (
        <p className="text-xs text-danger" role="alert">
          {comment.error.message}
        </p>
      ) : null}
      <Button
        type="submit"
        size="sm"
        pending={comment.isPending}
        disabled={body.trim() === ""}
        data-testid="alert-comment-submit"
      >
        Comment
      </Button>
    </form>
  );
}

function Timeline({
  view,
  names,
  projectSlug,
  canAct,
}: {
  view: AlertView;
  names: Map<string, string>;
  projectSlug: string;
  canAct: boolean;
}) {
  return (
    <Card data-testid="alert-timeline">
      <CardHeader
        title="Timeline"
        description="What Plumbline saw and what people did, oldest first."
      />
      <ol className="space-y-0 px-5 py-3">
        {view.timeline.map((entry) => (
          <li
            key={entry.id}
            className="relative border-l border-line py-2 pl-4"
            data-testid="timeline-entry"
            data-kind={entry.kind}
          >
            <span
              className={`absolute top-3.5 -left-[4.5px] size-2 rounded-full ${
                entry.kind === "fired" || entry.kind === "escalated"
                  ? "bg-red-600"
                  : entry.kind === "resolved"
                    ? "bg-emerald-600"
                    : entry.actorId
                      ? "bg-accent"
                      : "bg-line-strong"
              }`}
              aria-hidden
            />
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className="text-[13px] text-ink">{eventLine(entry, names)}</span>
              <time
                className="text-xs text-ink-faint"
                dateTime={new Date(entry.occurredAt).toISOString()}
              >
                {formatDateTime(entry.occurredAt)}
              </time>
            </div>
            {entry.body ? (
              <p
                className="mt-1 rounded-lg bg-canvas px-3 py-2 text-[13px] whitespace-pre-wrap text-ink"
                data-testid="timeline-comment"
              >
                {entry.body}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      {canAct ? <CommentBox projectSlug={projectSlug} alertId={view.alert.id} /> : null}
    </Card>
  );
}

function DriftingFeatures({ view }: { view: AlertView }) {
  if (view.topFeatures.length === 0) return null;
  return (
    <Card data-testid="alert-features">
      <CardHeader
        title="Top drifting features"
        description="In the triggering window, against the version's reference."
      />
      <Table>
        <TableHead>
          <TableRow>
            <TableHeaderCell className="pl-5">Feature</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell numeric>JS distance</TableHeaderCell>
            <TableHeaderCell numeric>PSI</TableHeaderCell>
            <TableHeaderCell numeric className="pr-5">
              p-value
            </TableHeaderCell>
          </TableRow>
        </TableHead>
        <tbody>
          {view.topFeatures.map((feature) => (
            <TableRow key={feature.feature} data-testid="drifting-feature">
              <TableCell className="pl-5 font-mono text-xs">
                <Link
                  href={`/models/${encodeURIComponent(view.model.slug)}/features/${encodeURIComponent(feature.feature)}`}
                  className="text-accent-strong hover:underline"
                >
                  {feature.feature}
                </Link>
              </TableCell>
              <TableCell>
                {feature.status ? (
                  <Badge
                    tone={
                      feature.status === "alert"
                        ? "danger"
                        : feature.status === "warn"
                          ? "canary"
                          : "neutral"
                    }
                  >
                    {feature.status}
                  </Badge>
                ) : (
                  "—"
                )}
              </TableCell>
              <TableCell numeric>{formatStatistic(feature.js)}</TableCell>
              <TableCell numeric>{formatStatistic(feature.psi)}</TableCell>
              <TableCell numeric className="pr-5">
                {formatPValue(feature.pValue)}
              </TableCell>
            </TableRow>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function NearbyPromotions({ view }: { view: AlertView }) {
  return (
    <Card data-testid="alert-promotions">
      <CardHeader
        title="Promotions nearby"
        description="This model's promotion events within a day of the triggering window."
      />
      {view.promotions.length === 0 ? (
        <p className="px-5 py-4 text-[13px] text-ink-muted">None: no version moved around then.</p>
      ) : (
        <ul className="divide-y divide-line">
          {view.promotions.map((event) => (
            <li key={event.id} className="flex items-center gap-3 px-5 py-2.5 text-[13px]">
              <Rocket className="size-3.5 shrink-0 text-ink-faint" aria-hidden />
              <Link
                href={`/approvals/${event.promotionId}`}
                className="min-w-0 flex-1 truncate text-ink hover:underline"
              >
                v{event.version} to {event.environment}:{" "}
                {event.action.replace("promotion.", "").replaceAll("_", " ")}
              </Link>
              <time className="text-xs text-ink-faint">{formatDateTime(event.occurredAt)}</time>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function sliceOf(alert: AlertView["alert"]): DashboardSlice {
  const slice: DashboardSlice = {};
  if (alert.version) slice.version = alert.version;
  if (alert.deployment === "stable" || alert.deployment === "canary") {
    slice.deployment = alert.deployment;
  }
  if (alert.segment) slice.segment = alert.segment;
  return slice;
}

export function AlertDetail({
  projectSlug,
  alertId,
  userId,
  canAct,
  canRetrain,
}: {
  projectSlug: string;
  alertId: string;
  userId: string;
  canAct: boolean;
  canRetrain: boolean;
}) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.alerts.get.queryOptions({ projectSlug, alertId }, { refetchInterval: 30_000 }),
  );
  const members = useQuery(trpc.alerts.assignees.queryOptions({ projectSlug }));

  if (query.isPending) {
    return (
      <div className="space-y-4" aria-busy="true" aria-label="Loading the alert">
        <Skeleton className="h-20 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError) {
    if ((query.error.data as { code?: string } | undefined)?.code === "NOT_FOUND") {
      return (
        <EmptyState icon={SearchX} title="No such alert" testId="alert-not-found">
          It may belong to another project, or its monitor was deleted.{" "}
          <Link href="/alerts" className="text-accent-strong hover:underline">
            Back to the inbox
          </Link>
        </EmptyState>
      );
    }
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }

  const view = query.data;
  const { alert, monitor, model } = view;
  const names = new Map((members.data ?? []).map((member) => [member.id, member.name]));
  const recorded = recordedThreshold(alert.details);
  const windowHref = triggeringWindowHref({
    modelSlug: model.slug,
    windowStart: new Date(alert.windowStart),
    windowEnd: new Date(alert.windowEnd),
    slice: sliceOf(alert),
    now: new Date(),
  });

  return (
    <div className="space-y-6" data-testid="alert-detail" data-state={alert.state}>
      <nav aria-label="Breadcrumb" className="flex items-center gap-1 text-xs text-ink-faint">
        <Link href="/alerts" className="hover:text-ink">
          Alerts
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <span className="text-ink-muted">{monitor.name}</span>
      </nav>

      <header className="space-y-4">
        <div className="flex flex-wrap items-center gap-2.5">
          <SeverityBadge severity={alert.severity} />
          <AlertStateBadge state={alert.state} resolution={alert.resolution} />
          <h1 className="text-xl font-semibold tracking-tight text-ink">
            {monitor.name}
            {alert.feature ? (
              <span className="font-mono text-ink-muted"> · {alert.feature}</span>
            ) : null}
          </h1>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-[13px] sm:grid-cols-4">
          <div>
            <dt className="text-xs text-ink-faint">Model</dt>
            <dd>
              <Link
                href={`/models/${encodeURIComponent(model.slug)}`}
                className="text-accent-strong hover:underline"
              >
                {model.name}
              </Link>
              {alert.version ? (
                <span className="font-mono text-xs text-ink-muted"> v{alert.version}</span>
              ) : null}
              {alert.deployment ? (
                <span className="text-xs text-ink-muted"> · {alert.deployment}</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-ink-faint">Value</dt>
            <dd className="tabular-nums" data-testid="alert-value">
              <span className="font-medium">{formatReading(alert.value)}</span>
              {recorded !== null ? (
                <span className="text-ink-muted"> vs {formatReading(recorded)}</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-ink-faint">Fired</dt>
            <dd>{alert.firedAt ? formatDateTime(alert.firedAt) : "not yet (pending)"}</dd>
          </div>
          <div>
            <dt className="text-xs text-ink-faint">Re-breaches</dt>
            <dd className="tabular-nums">{alert.rebreachCount}</dd>
          </div>
          <div className="col-span-2">
            <dt className="text-xs text-ink-faint">Monitor</dt>
            <dd className="text-ink-muted">
              {METRIC_LABELS[monitor.metric]} ({monitor.statistic}):{" "}
              {describeThreshold(monitor.threshold)}
              {" · "}
              <Link
                href={`/models/${encodeURIComponent(model.slug)}/monitors`}
                className="text-accent-strong hover:underline"
              >
                monitors
              </Link>
            </dd>
          </div>
          <div className="col-span-2">
            <dt className="text-xs text-ink-faint">Triggering window</dt>
            <dd>
              <Link
                href={windowHref}
                className="inline-flex items-center gap-1.5 text-accent-strong hover:underline"
                data-testid="alert-window-link"
              >
                <LineChart className="size-3.5" aria-hidden />
                {formatDateTime(alert.windowStart)} – {formatDateTime(alert.windowEnd)}
              </Link>
            </dd>
          </div>
          {alert.snoozedUntil ? (
            <div className="col-span-2">
              <dt className="text-xs text-ink-faint">Snoozed until</dt>
              <dd>{formatDateTime(alert.snoozedUntil)}</dd>
            </div>
          ) : null}
          <div className="col-span-2">
            <dt className="text-xs text-ink-faint">Owner</dt>
            <dd data-testid="alert-owner-name">{view.owner?.name ?? "Unassigned"}</dd>
          </div>
        </dl>
        {canAct ? (
          <AlertActionBar
            projectSlug={projectSlug}
            view={view}
            userId={userId}
            canRetrain={canRetrain}
          />
        ) : null}
      </header>

      <div className="grid gap-6 lg:grid-cols-2">
        <Timeline view={view} names={names} projectSlug={projectSlug} canAct={canAct} />
        <div className="space-y-6">
          <DriftingFeatures view={view} />
          <NearbyPromotions view={view} />
        </div>
      </div>
    </div>
  );
}
