"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Boxes, ChevronRight } from "lucide-react";
import Link from "next/link";

import { Badge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatInteger, formatTask } from "~/components/format/numbers";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

const columns =
  "grid grid-cols-[minmax(0,2.4fr)_minmax(0,1.4fr)_6rem_9rem_1.25rem] items-center gap-4";

function Header() {
  return (
    <div
      className={`${columns} border-b border-line px-5 py-2.5 text-[11px] font-medium uppercase tracking-wider text-ink-faint`}
    >
      <span>Model</span>
      <span>Task</span>
      <span className="text-right">Versions</span>
      <span className="text-right">Predictions, 1 h</span>
      <span />
    </div>
  );
}

export function ModelsTableSkeleton() {
  return (
    <Card aria-busy="true" aria-label="Loading models">
      <Header />
      {[0, 1, 2].map((row) => (
        <div key={row} className={`${columns} border-b border-line px-5 py-4 last:border-b-0`}>
          <div className="space-y-2">
            <Skeleton className="h-3.5 w-40" />
            <Skeleton className="h-3 w-64" />
          </div>
          <Skeleton className="h-4 w-28" />
          <Skeleton className="ml-auto h-3.5 w-6" />
          <Skeleton className="ml-auto h-3.5 w-14" />
          <span />
        </div>
      ))}
    </Card>
  );
}

export function ModelsTable({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const models = useQuery(
    trpc.models.list.queryOptions({ projectSlug }, { refetchInterval: 15_000 }),
  );

  if (models.isPending) return <ModelsTableSkeleton />;
  if (models.isError) return <QueryError error={models.error} onRetry={() => models.refetch()} />;
  if (models.data.length === 0) {
    return (
      <EmptyState icon={Boxes} title="No models in this project yet" testId="models-empty">
        A model appears here as soon as it is registered in the project. Registering models from the
        dashboard arrives with the model registry; the demo set-up (
        <code className="font-mono">pnpm demo</code>) creates one for you.
      </EmptyState>
    );
  }

  return (
    <Card>
      <Header />
      <ul>
        {models.data.map((model) => (
          <li key={model.id} className="border-b border-line last:border-b-0">
            <Link
              href={`/models/${model.slug}`}
              data-testid="model-row"
              data-model-slug={model.slug}
              className={`${columns} group px-5 py-3.5 transition-colors hover:bg-hover focus-visible:bg-hover`}
            >
              <div className="min-w-0">
                <div className="flex items-center gap-2">
                  <span className="truncate text-[13px] font-medium text-ink">{model.name}</span>
                  <span className="truncate font-mono text-[11px] text-ink-faint">
                    {model.slug}
                  </span>
                </div>
                {model.description ? (
                  <p className="mt-0.5 truncate text-xs text-ink-muted">{model.description}</p>
                ) : null}
              </div>
              <div>
                <Badge>{formatTask(model.task)}</Badge>
              </div>
              <span className="text-right text-[13px] tabular-nums text-ink-muted">
                {model.versionCount}
              </span>
              <span
                className={clsx(
                  "flex items-center justify-end gap-2 text-right text-[13px] font-medium tabular-nums",
                  model.lastHourCount > 0 ? "text-ink" : "text-ink-faint",
                )}
              >
                {model.lastHourCount > 0 ? (
                  <span className="size-1.5 rounded-full bg-live" aria-label="receiving traffic" />
                ) : null}
                {formatInteger(model.lastHourCount)}
              </span>
              <ChevronRight
                className="size-4 text-ink-faint transition group-hover:translate-x-0.5 group-hover:text-ink-muted"
                aria-hidden
              />
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
