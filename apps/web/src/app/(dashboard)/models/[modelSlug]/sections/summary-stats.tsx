"use client";

import { useQueries } from "@tanstack/react-query";
import type { ReactNode } from "react";

import {
  formatCompact,
  formatInteger,
  formatLatency,
  formatPercent,
  formatScore,
  formatShare,
} from "~/components/format/numbers";
import { Card } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { queryBehaviourOf, useDashboard, windowInputOf } from "../dashboard-context";
import { useTrafficQueries } from "./traffic-section";

export function useConfidenceQueries() {
  const trpc = useTRPC();
  const context = useDashboard();
  return useQueries({
    queries: context.slices.map((slice) => ({
      ...trpc.dashboard.confidence.queryOptions(windowInputOf(context, slice.slice)),
      ...queryBehaviourOf(context),
    })),
  });
}

function Stat({
  label,
  value,
  detail,
  testId,
  rawValue,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
  rawValue?: number | null;
}) {
  return (
    <Card className="px-5 py-4">
      <div className="text-xs text-ink-muted">{label}</div>
      <div
        className="mt-1.5 text-2xl font-semibold tracking-tight text-ink tabular-nums"
        data-testid={testId}
        data-value={rawValue ?? undefined}
      >
        {value}
      </div>
      {detail ? <div className="mt-1 text-xs text-ink-faint">{detail}</div> : null}
    </Card>
  );
}

/** Headline figures of the first slice (the one the filters describe) over the window. */
export function SummaryStats() {
  const traffic = useTrafficQueries()[0];
  const confidence = useConfidenceQueries()[0];
  const trafficData = traffic?.data;
  const confidenceData = confidence?.data;
  if (!trafficData || !confidenceData) {
    return (
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" aria-busy="true">
        {[0, 1, 2, 3].map((card) => (
          <Card key={card} className="space-y-3 px-5 py-4">
            <Skeleton className="h-3 w-28" />
            <Skeleton className="h-7 w-20" />
            <Skeleton className="h-3 w-32" />
          </Card>
        ))}
      </div>
    );
  }
  const { totals } = trafficData;
  const activeBuckets = trafficData.buckets.filter((b) => (b.count ?? 0) > 0).length;
  const scores = confidenceData.totals;
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="summary-stats">
      <Stat
        label="Predictions"
        value={formatInteger(totals.count)}
        rawValue={totals.count}
        testId="total-predictions"
        detail={
          activeBuckets > 0
            ? `≈ ${formatCompact(Math.round(totals.count / activeBuckets))} per active bucket`
            : "Nothing received in this window"
        }
      />
      <Stat
        label="Mean confidence"
        value={formatScore(scores.mean)}
        rawValue={scores.mean}
        testId="mean-confidence"
        detail={
          scores.scoredCount > 0
            ? `${formatShare(scores.lowConfidenceShare)} below ${formatScore(
                confidenceData.lowConfidenceThreshold,
              )}`
            : confidenceData.available
              ? "No scores yet"
              : "Not kept per segment"
        }
      />
      <Stat
        label="Error rate"
        value={totals.errorRate === null ? "—" : formatPercent(totals.errorRate)}
        rawValue={totals.errorRate}
        testId="error-rate"
        detail={
          totals.errorCount === null
            ? "Not kept per segment"
            : `${formatInteger(totals.errorCount)} failed predictions`
        }
      />
      <Stat
        label="Latency p95"
        value={formatLatency(totals.latencyP95Ms)}
        rawValue={totals.latencyP95Ms}
        testId="latency-p95"
        detail={`p50 ${formatLatency(totals.latencyP50Ms)} · p99 ${formatLatency(totals.latencyP99Ms)}`}
      />
    </div>
  );
}
