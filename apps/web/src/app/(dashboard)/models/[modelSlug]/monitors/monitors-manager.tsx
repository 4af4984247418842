"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff, Pencil, Plus, Radar, ShieldCheck, X } from "lucide-react";
import Link from "next/link";
import { useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { formatAge, formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { describeThreshold, METRIC_LABELS } from "../../../alerts/alert-labels";
import { MonitorForm } from "./monitor-form";
import { MuteDialog } from "./mute-dialog";

type MonitorRow = RouterOutputs["monitors"]["list"]["monitors"][number];
type Mute = MonitorRow["mutes"][number];

const OUTCOME_TONES: Record<string, BadgeTone> = {
  ok: "success",
  warning: "canary",
  critical: "danger",
  insufficient: "neutral",
  muted: "neutral",
};

function muteStatus(mute: Mute, now: number = Date.now()): "pending" | "scheduled" | "in force" {
  if (mute.needsApproval && !mute.approvedAt) return "pending";
  return new Date(mute.startsAt).getTime() > now ? "scheduled" : "in force";
}

function MuteLine({
  mute,
  projectSlug,
  userId,
  canWrite,
  canApproveMutes,
  refresh,
}: {
  mute: Mute;
  projectSlug: string;
  userId: string;
  canWrite: boolean;
  canApproveMutes: boolean;
  refresh: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const approve = useMutation(trpc.monitors.approveMute.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.monitors.cancelMute.mutationOptions({ onSuccess: refresh }));
  const status = muteStatus(mute);
  const error = approve.error ?? cancel.error;
  return (
    <li
      className="flex flex-wrap items-center gap-2 text-xs text-ink-muted"
      data-testid="mute-row"
      data-status={status}
    >
      <BellOff className="size-3.5 text-ink-faint" aria-hidden />
      <Badge tone={status === "pending" ? "canary" : "neutral"}>
        {status === "pending" ? "awaiting approval" : status}
      </Badge>
      <span>
        {formatDateTime(mute.startsAt)} – {formatDateTime(mute.endsAt)}: {mute.reason}
      </span>
      {status === "pending" && canApproveMutes && mute.requestedBy !== userId ? (
        <Button
          size="sm"
          variant="success"
          icon={<ShieldCheck className="size-3.5" aria-hidden />}
          pending={approve.isPending}
          onClick={() => approve.mutate({ projectSlug, muteId: mute.id })}
          data-testid="mute-approve"
        >
          Approve
        </Button>
      ) : null}
      {canWrite ? (
        <Button
          size="sm"
          variant="ghost"
          icon={<X className="size-3.5" aria-hidden />}
          pending={cancel.isPending}
          onClick={() => cancel.mutate({ projectSlug, muteId: mute.id })}
          data-testid="mute-cancel"
        >
          {status === "in force" ? "End now" : "Withdraw"}
        </Button>
      ) : null}
      {error ? (
        <span className="text-danger" role="alert">
          {error.message}
        </span>
      ) : null}
    </li>
  );
}

/** A model's monitors: the list with toggles and mutes, and the create/edit form. */
export function MonitorsManager({
  projectSlug,
  modelSlug,
  userId,
  canWrite,
  canApproveMutes,
}: {
  projectSlug: string;
  modelSlug: string;
  userId: string;
  canWrite: boolean;
  canApproveMutes: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.monitors.list.queryOptions({ projectSlug, modelSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.monitors.pathKey() });
  const setEnabled = useMutation(trpc.monitors.setEnabled.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<MonitorRow | "new" | null>(null);
  const [muting, setMuting] = useState<MonitorRow | null>(null);

  if (list.isPending) {
    return (
      <Card aria-busy="true" aria-label="Loading monitors">
        {[0, 1, 2].map((row) => (
          <div key={row} className="border-b border-line px-5 py-4 last:border-b-0">
            <Skeleton className="h-4 w-full" />
          </div>
        ))}
      </Card>
    );
  }
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  const monitors = list.data.monitors;

  if (editing) {
    return (
      <Card data-testid="monitor-editor">
        <CardHeader
          title={editing === "new" ? "New monitor" : `Edit ${editing.name}`}
          description="Every change is recorded in the audit log."
        />
        <div className="px-5 py-5">
          <MonitorForm
            projectSlug={projectSlug}
            modelSlug={modelSlug}
            {...(editing === "new" ? {} : { monitorId: editing.id, initial: editing })}
            onDone={() => {
              setEditing(null);
              void refresh();
            }}
          />
        </div>
      </Card>
    );
  }

  return (
    <div className="space-y-4">
      {canWrite ? (
        <div className="flex justify-end">
          <Button
            icon={<Plus className="size-3.5" aria-hidden />}
            onClick={() => setEditing("new")}
            data-testid="monitor-new"
          >
            New monitor
          </Button>
        </div>
      ) : null}
      {monitors.length === 0 ? (
        <EmptyState icon={Radar} title="No monitors on this model" testId="monitors-empty">
          The default catalog is created when a model is registered; an engineer can add monitors
          here.
        </EmptyState>
      ) : (
        <Card data-testid="monitors-list">
          <ul className="divide-y divide-line">
            {monitors.map((monitor) => (
              <li
                key={monitor.id}
                className="space-y-2 px-5 py-3.5"
                data-testid="monitor-row"
                data-monitor-id={monitor.id}
              >
                <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="text-[13px] font-medium text-ink">{monitor.name}</span>
                      <Badge>{METRIC_LABELS[monitor.metric]}</Badge>
                      {monitor.feature ? (
                        <span className="font-mono text-xs text-ink-muted">{monitor.feature}</span>
                      ) : null}
                      {monitor.openAlerts > 0 ? (
                        <Link
                          href={`/alerts?model=${encodeURIComponent(modelSlug)}`}
                          className="text-xs text-red-700 hover:underline"
                        >
                          {monitor.openAlerts} open {monitor.openAlerts === 1 ? "alert" : "alerts"}
                        </Link>
                      ) : null}
                    </div>
                    <p className="mt-0.5 text-xs text-ink-muted" data-testid="monitor-threshold">
                      {monitor.statistic} · {describeThreshold(monitor.threshold)} · every{" "}
                      {monitor.bucketMinutes} min over {monitor.windowMinutes} min, fires after{" "}
                      {monitor.breachesToFire}, resolves after {monitor.healthyToResolve}
                    </p>
                  </div>
                  <div className="text-right text-xs" data-testid="monitor-last-outcome">
                    {monitor.lastEvaluation ? (
                      <span title={formatDateTime(monitor.lastEvaluation.bucketEnd)}>
                        <Badge tone={OUTCOME_TONES[monitor.lastEvaluation.outcome] ?? "neutral"}>
                          {monitor.lastEvaluation.outcome}
                        </Badge>{" "}
                        <span className="text-ink-faint">
                          {formatAge(monitor.lastEvaluation.bucketEnd)} ago
                        </span>
                      </span>
                    ) : (
                      <span className="text-ink-faint">not evaluated yet</span>
                    )}
                  </div>
                  <label className="flex items-center gap-1.5 text-xs text-ink-muted">
                    <input
                      type="checkbox"
                      role="switch"
                      checked={monitor.enabled}
                      disabled={!canWrite || setEnabled.isPending}
                      onChange={(event) =>
                        setEnabled.mutate({
                          projectSlug,
                          monitorId: monitor.id,
                          enabled: event.target.checked,
                        })
                      }
                      data-testid="monitor-enabled"
                    />
                    Enabled
                  </label>
                  {canWrite ? (
                    <div className="flex gap-1">
                      <Button
                        size="sm"
                        variant="secondary"
                        icon={<BellOff className="size-3.5" aria-hidden />}
                        onClick={() => setMuting(monitor)}
                        data-testid="monitor-mute"
                      >
                        Mute
                      </Button>
                      <Button
                        size="sm"
                        variant="secondary"
                        icon={<Pencil className="size-3.5" aria-hidden />}
                        onClick={() => setEditing(monitor)}
                        data-testid="monitor-edit"
                      >
                        Edit
                      </Button>
                    </div>
                  ) : null}
                </div>
                {monitor.mutes.length > 0 ? (
                  <ul className="space-y-1">
                    {monitor.mutes.map((mute) => (
                      <MuteLine
                        key={mute.id}
                        mute={mute}
                        projectSlug={projectSlug}
                        userId={userId}
                        canWrite={canWrite}
                        canApproveMutes={canApproveMutes}
                        refresh={refresh}
                      />
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          {setEnabled.isError ? (
            <p className="border-t border-line px-5 py-2 text-xs text-danger" role="alert">
              {setEnabled.error.message}
            </p>
          ) : null}
        </Card>
      )}
      <MuteDialog
        projectSlug={projectSlug}
        monitor={muting}
        canApproveMutes={canApproveMutes}
        onClose={() => setMuting(null)}
        onMuted={refresh}
      />
    </div>
  );
}
