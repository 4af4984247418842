"use client";

import { useQuery } from "@tanstack/react-query";
import { Rocket } from "lucide-react";
import Link from "next/link";

import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

import { DeploymentStateBadge } from "./rollout-labels";

export function RolloutsList({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.rollouts.list.queryOptions({ projectSlug }),
    refetchInterval: 5_000,
  });
  if (list.isPending) return <Skeleton className="h-48 w-full" />;
  if (list.isError) return <QueryError error={list.error} />;
  if (list.data.length === 0) {
    return (
      <EmptyState icon={Rocket} title="No canary deployments yet" testId="rollouts-empty">
        Give an environment a canary rollout policy; its next approved promotion starts here.
      </EmptyState>
    );
  }
  return (
    <Card>
      <Table data-testid="rollouts-table">
        <TableHead>
          <tr>
            <TableHeaderCell>Model</TableHeaderCell>
            <TableHeaderCell>Environment</TableHeaderCell>
            <TableHeaderCell>Canary</TableHeaderCell>
            <TableHeaderCell>Stable</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell numeric>Weight</TableHeaderCell>
            <TableHeaderCell>Started</TableHeaderCell>
          </tr>
        </TableHead>
        <tbody>
          {list.data.map((row) => (
            <TableRow key={row.id} data-testid="rollout-row">
              <TableCell>
                <Link href={`/rollouts/${row.id}`} className="font-medium text-ink hover:underline">
                  {row.modelName}
                </Link>
              </TableCell>
              <TableCell>{row.environment}</TableCell>
              <TableCell className="font-mono text-xs">v{row.candidateVersion}</TableCell>
              <TableCell className="font-mono text-xs">
                {row.stableVersion ? `v${row.stableVersion}` : "—"}
              </TableCell>
              <TableCell>
                <DeploymentStateBadge state={row.state} />
              </TableCell>
              <TableCell numeric>{row.weight} %</TableCell>
              <TableCell className="text-ink-muted">{formatDateTime(row.startedAt)}</TableCell>
            </TableRow>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
