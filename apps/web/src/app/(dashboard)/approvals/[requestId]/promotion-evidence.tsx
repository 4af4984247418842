"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowRight } from "lucide-react";
import Link from "next/link";

import { Badge } from "~/components/ui/badge";
import { seriesColor } from "~/components/charts/palette";
import { TimeSeriesChart } from "~/components/charts/time-series-chart";
import { VolumeBarChart } from "~/components/charts/volume-bar-chart";
import { Card, CardHeader } from "~/components/ui/card";
import { formatScore } from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { LineageGraph } from "~/components/governance/lineage-graph";
import { PromotionStateBadge } from "~/components/governance/promotion-state-badge";
import { PageHeader } from "~/components/page-header";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { mergeBucketSeries } from "~/dashboard/bucket-series";
import { useTRPC } from "~/trpc/react";

import { BreakGlassPanel, DecisionPanel, DeployPanel } from "./decision-panel";
import { FairnessByGroup, GateResults, MetricsComparison } from "./evidence-tables";

interface Props {
  projectSlug: string;
  requestId: string;
  userId: string;
  permissions: readonly string[];
}

export function PromotionEvidence({ projectSlug, requestId, userId, permissions }: Props) {
  const trpc = useTRPC();
  const promotion = useQuery(trpc.promotions.get.queryOptions({ projectSlug, requestId }));
  const modelSlug = promotion.data?.model.slug ?? "";
  const version = promotion.data?.version.version ?? "";
  const lineage = useQuery(
    trpc.registry.lineage.queryOptions(
      { projectSlug, modelSlug, version },
      { enabled: promotion.isSuccess },
    ),
  );
  const lastHour = { projectSlug, modelSlug, range: { preset: "1h" as const }, slice: {} };
  const traffic = useQuery(
    trpc.dashboard.traffic.queryOptions(lastHour, {
      enabled: promotion.isSuccess,
      refetchInterval: 30_000,
    }),
  );
  const confidence = useQuery(
    trpc.dashboard.confidence.queryOptions(lastHour, {
      enabled: promotion.isSuccess,
      refetchInterval: 30_000,
    }),
  );

  if (promotion.isPending) {
    return (
      <div className="space-y-4" aria-busy="true">
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (promotion.isError) {
    return <QueryError error={promotion.error} onRetry={() => promotion.refetch()} />;
  }

  const { request, model, decisions, gateResults, evaluations, baseline, card } = promotion.data;
  const candidateMetrics = evaluations.flatMap((evaluation) => evaluation.metrics);
  const groups = evaluations.flatMap((evaluation) => evaluation.groups);
  const standing = decisions.filter((decision) => !decision.voided);
  const approvals = standing.filter((decision) => decision.decision === "approve").length;
  const decided = standing.some((decision) => decision.approverId === userId);
  const ownRequest =
    request.requesterId === userId ||
    request.requesterUserId === userId ||
    request.versionCreatorId === userId;
  const canDecide =
    permissions.includes("promotion.approve") &&
    request.state === "awaiting_approval" &&
    !ownRequest &&
    !decided;
  const inconclusive = gateResults.filter((result) => result.outcome === "inconclusive");
  const baselineVersion =
    traffic.data?.versions.find((served) => served.version !== version)?.version ?? null;

  const timeline = [
    { at: request.createdAt, label: `Requested for ${request.environmentKind}` },
    ...(gateResults[0]
      ? [
          {
            at: gateResults[0].evaluatedAt,
            label: `Gates evaluated: ${request.gateDecision ?? "–"}`,
          },
        ]
      : []),
    ...decisions.map((decision) => ({
      at: decision.decidedAt,
      label: `${decision.approverName} ${decision.decision === "approve" ? "approved" : "rejected"}${
        decision.voided ? " (voided)" : ""
      }`,
    })),
    ...(request.breakGlassAt
      ? [{ at: request.breakGlassAt, label: `Break-glass: ${request.breakGlassReason ?? ""}` }]
      : []),
    ...(["awaiting_approval", "checks_running"].includes(request.state)
      ? []
      : [{ at: request.updatedAt, label: `Now ${request.state.replaceAll("_", " ")}` }]),
  ];

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/approvals" className="hover:text-ink">
            Approvals
          </Link>
        }
        title={
          <span className="flex items-center gap-2">
            {model.name}
            <span className="font-mono text-base text-ink-muted">v{version}</span>
            <ArrowRight className="size-4 text-ink-faint" aria-hidden />
            <span>{request.targetAlias}</span>
          </span>
        }
        description={request.justification}
        actions={
          <div className="flex items-center gap-3">
            <span data-testid="promotion-state" data-state={request.state}>
              <PromotionStateBadge state={request.state} />
            </span>
            <span className="text-[13px] text-ink-muted">
              Approvals{" "}
              <span data-testid="approval-count" className="font-semibold text-ink tabular-nums">
                {approvals} of {request.requiredApprovals}
              </span>
            </span>
          </div>
        }
      />

      {inconclusive.length > 0 ? (
        <div
          className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-[13px] text-amber-900"
          role="status"
        >
          {inconclusive.length} gate{inconclusive.length === 1 ? " was" : "s were"} inconclusive:
          the evidence could not show a pass. Review them before deciding.
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-4">
          <Card>
            <CardHeader
              title={
                baseline?.version
                  ? `Metrics: candidate v${version} vs replaced v${baseline.version}`
                  : "Metrics: candidate vs replaced"
              }
              description={
                baseline
                  ? `Compared with the version ${request.targetAlias} served when this promotion was requested, as recorded then.`
                  : `${request.targetAlias} served no version when this was requested: a first release.`
              }
            />
            <MetricsComparison candidate={candidateMetrics} baseline={baseline?.metrics ?? null} />
          </Card>
          <Card>
            <CardHeader
              title="Gate results"
              description={`Decision: ${request.gateDecision ?? "pending"}`}
            />
            <GateResults results={gateResults} />
          </Card>
          <Card>
            <CardHeader title="Fairness by group" />
            <FairnessByGroup groups={groups} />
          </Card>
          <Card>
            <CardHeader
              title="Lineage"
              actions={
                <Link
                  href={`/registry/${model.slug}/${version}`}
                  className="text-xs font-medium text-accent hover:underline"
                >
                  Version details
                </Link>
              }
            />
            <div className="px-5 py-4">
              {lineage.data ? (
                <LineageGraph lineage={lineage.data} />
              ) : lineage.isError ? (
                <p className="text-xs text-ink-muted">{lineage.error.message}</p>
              ) : (
                <Skeleton className="h-24 w-full" />
              )}
            </div>
          </Card>
          <Card>
            <CardHeader
              title="Current production traffic"
              description={`Predictions per minute and mean confidence over the last hour${
                baselineVersion ? `, mostly v${baselineVersion}` : ""
              }.`}
            />
            <div className="grid gap-4 px-5 py-4 md:grid-cols-2">
              {traffic.data && confidence.data ? (
                <>
                  <div className="min-w-0">
                    <VolumeBarChart
                      rows={mergeBucketSeries([{ key: "all", buckets: traffic.data.buckets }], {
                        count: (bucket) => bucket.count,
                      })}
                      bucketMs={traffic.data.window.bucketMs}
                      series={[{ key: "all:count", label: "Predictions", color: seriesColor(0) }]}
                      height={180}
                    />
                  </div>
                  <div className="min-w-0">
                    <TimeSeriesChart
                      rows={mergeBucketSeries([{ key: "all", buckets: confidence.data.buckets }], {
                        mean: (bucket) => bucket.mean,
                      })}
                      bucketMs={confidence.data.window.bucketMs}
                      lines={[{ key: "all:mean", label: "Mean confidence", color: seriesColor(0) }]}
                      yDomain={[0, 1]}
                      formatValue={formatScore}
                      height={180}
                      emptyText="No scores in the last hour."
                    />
                  </div>
                </>
              ) : (
                <Skeleton className="h-40 w-full md:col-span-2" />
              )}
            </div>
          </Card>
        </div>

        <div className="space-y-4">
          {canDecide ? (
            <DecisionPanel
              projectSlug={projectSlug}
              requestId={request.id}
              artifactDigest={request.artifactDigest}
            />
          ) : (
            <Card
              className="px-5 py-4 text-[13px] text-ink-muted"
              data-testid="decision-unavailable"
            >
              {request.state !== "awaiting_approval"
                ? "This request is not awaiting approval."
                : !permissions.includes("promotion.approve")
                  ? "Your role can review this request but not decide on it."
                  : ownRequest
                    ? "You requested this promotion or registered the version, so you cannot approve it."
                    : "You have decided on this request."}
            </Card>
          )}
          {request.state === "approved" && permissions.includes("promotion.deploy") ? (
            <DeployPanel projectSlug={projectSlug} requestId={request.id} />
          ) : null}

          <Card>
            <CardHeader title="Decisions" />
            {decisions.length === 0 ? (
              <p className="px-5 py-4 text-[13px] text-ink-muted">No decisions yet.</p>
            ) : (
              <ul>
                {decisions.map((decision) => (
                  <li
                    key={decision.approverId}
                    data-testid="decision-row"
                    className="border-b border-line px-5 py-3 last:border-b-0"
                  >
                    <div className="flex items-center justify-between gap-2">
                      <span className="text-[13px] font-medium text-ink">
                        {decision.approverName}
                      </span>
                      <Badge tone={decision.decision === "approve" ? "success" : "danger"}>
                        {decision.decision === "approve" ? "approved" : "rejected"}
                        {decision.voided ? " · voided" : ""}
                      </Badge>
                    </div>
                    {decision.comment ? (
                      <p className="mt-1 text-xs text-ink-muted">“{decision.comment}”</p>
                    ) : null}
                    <p className="mt-1 text-[11px] text-ink-faint">
                      {decision.role} · {formatDateTime(decision.decidedAt)}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card>
            <CardHeader title="Model card" />
            <div className="px-5 py-4 text-[13px]">
              {card.missing === null ? (
                <p className="text-danger">This version has no model card.</p>
              ) : card.missing.length === 0 ? (
                <p className="text-emerald-700">Complete and approved.</p>
              ) : (
                <>
                  <p className="text-ink-muted">Missing:</p>
                  <ul className="mt-1 list-disc pl-5 text-amber-800">
                    {card.missing.map((gap) => (
                      <li key={gap}>{gap}</li>
                    ))}
                  </ul>
                </>
              )}
              <Link
                href={`/registry/${model.slug}/${version}#model-card`}
                className="mt-2 inline-block text-xs font-medium text-accent hover:underline"
              >
                Read the card
              </Link>
            </div>
          </Card>

          <Card>
            <CardHeader title="Timeline" />
            <ol className="space-y-2.5 px-5 py-4" data-testid="promotion-timeline">
              {timeline.map((entry, index) => (
                <li key={index} className="flex gap-3 text-[13px]">
                  <span className="mt-1.5 size-1.5 shrink-0 rounded-full bg-ink-faint" />
                  <div>
                    <p className="text-ink">{entry.label}</p>
                    <p className="text-[11px] text-ink-faint">{formatDateTime(entry.at)}</p>
                  </div>
                </li>
              ))}
            </ol>
          </Card>

          {permissions.includes("promotion.break_glass") &&
          ["awaiting_approval", "checks_failed"].includes(request.state) ? (
            <BreakGlassPanel projectSlug={projectSlug} requestId={request.id} />
          ) : null}
        </div>
      </div>
    </>
  );
}
