import type { ReactNode } from "react";

import { QueryError } from "~/components/query-error";
import { Card, CardHeader } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";

/** A titled card of the model page, with an anchor so a link can point at it. */
export function DashboardSection({
  id,
  title,
  description,
  actions,
  children,
  testId,
}: {
  id: string;
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card id={id} className="scroll-mt-36" data-testid={testId}>
      <CardHeader title={title} description={description} actions={actions} />
      <div className="px-4 pt-4 pb-3">{children}</div>
    </Card>
  );
}

export function ChartSkeleton({ height = 220 }: { height?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading chart" className="space-y-2">
      <Skeleton className="ml-auto h-3 w-40" />
      <Skeleton className="w-full" style={{ height }} />
    </div>
  );
}

/**
 * Renders `children` with every query's data once all have answered; a skeleton before, the
 * error (with a retry) if one failed and nothing is left to show.
 */
/** The part of a query result this needs (tRPC's error type is not an `Error`). */
export interface LoadableQuery<T> {
  data: T | undefined;
  isError: boolean;
  error: { message: string } | null;
  refetch: () => unknown;
}

export function WhenLoaded<T>({
  queries,
  skeleton = <ChartSkeleton />,
  children,
}: {
  queries: LoadableQuery<T>[];
  skeleton?: ReactNode;
  children: (data: T[]) => ReactNode;
}) {
  const failed = queries.find((query) => query.isError && query.data === undefined);
  if (failed?.error) {
    return <QueryError error={failed.error} onRetry={() => void failed.refetch()} />;
  }
  if (queries.some((query) => query.data === undefined)) return <>{skeleton}</>;
  return (
    <>{children(queries.flatMap((query) => (query.data === undefined ? [] : [query.data])))}</>
  );
}

/** Two charts side by side on wide screens (one per compared slice, or two measures). */
export function ChartPair({ children }: { children: ReactNode }) {
  return <div className="grid gap-6 lg:grid-cols-2">{children}</div>;
}

export function ChartTitle({ children }: { children: ReactNode }) {
  return <h3 className="mb-1 px-2 text-xs font-medium text-ink-muted">{children}</h3>;
}
