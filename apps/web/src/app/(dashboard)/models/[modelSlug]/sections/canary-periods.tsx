"use client";

import { useQuery } from "@tanstack/react-query";
import { Rocket } from "lucide-react";
import Link from "next/link";

import { formatDateTime } from "~/components/format/time";
import { useTRPC } from "~/trpc/react";

import { DeploymentStateBadge } from "../../../rollouts/rollout-labels";
import { useDashboard } from "../dashboard-context";

/**
 * The model's canary periods that overlap the dashboard's window: when each canary took
 * traffic, how it ended, and a link to its rollout page. Nothing when there were none.
 */
export function CanaryPeriods() {
  const trpc = useTRPC();
  const context = useDashboard();
  const periods = useQuery({
    ...trpc.rollouts.list.queryOptions({
      projectSlug: context.projectSlug,
      modelSlug: context.modelSlug,
      limit: 5,
    }),
    refetchInterval: 15_000,
  });
  const rows = periods.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section
      className="rounded-xl border border-amber-200 bg-warning-soft/40 px-5 py-3 dark:border-amber-800/70"
      data-testid="canary-periods"
      aria-label="Canary periods"
    >
      <div className="mb-1.5 flex items-center gap-2 text-[13px] font-semibold text-ink">
        <Rocket className="size-4 text-amber-600" aria-hidden /> Canary periods
      </div>
      <ul className="space-y-1 text-xs text-ink-muted">
        {rows.map((period) => (
          <li
            key={period.id}
            className="flex flex-wrap items-center gap-2"
            data-testid="canary-period"
          >
            <Link href={`/rollouts/${period.id}`} className="font-mono text-ink hover:underline">
              v{period.candidateVersion}
            </Link>
            <span>
              {formatDateTime(period.startedAt)} →{" "}
              {period.finishedAt ? formatDateTime(period.finishedAt) : "now"}
            </span>
            <DeploymentStateBadge state={period.state} />
          </li>
        ))}
      </ul>
    </section>
  );
}
