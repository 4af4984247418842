"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { formatDateTime } from "~/components/format/time";
import { PromotionStateBadge } from "~/components/governance/promotion-state-badge";
import { Card, CardHeader } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

/** Every promotion request of one version, newest first, each linking to its evidence page. */
export function VersionPromotions({
  projectSlug,
  modelVersionId,
}: {
  projectSlug: string;
  modelVersionId: string;
}) {
  const trpc = useTRPC();
  const requests = useQuery(trpc.promotions.list.queryOptions({ projectSlug, modelVersionId }));
  return (
    <Card>
      <CardHeader title="Promotion requests" description="Where this version was proposed." />
      <div data-testid="version-promotions">
        {requests.isPending ? (
          <div className="px-5 py-3">
            <Skeleton className="h-10 w-full" />
          </div>
        ) : requests.isError ? (
          <p className="px-5 py-3 text-xs text-ink-muted">{requests.error.message}</p>
        ) : requests.data.length === 0 ? (
          <p className="px-5 py-3 text-[13px] text-ink-muted">Never requested for promotion.</p>
        ) : (
          <ul>
            {requests.data.map((request) => (
              <li key={request.id} className="border-b border-line last:border-b-0">
                <Link
                  href={`/approvals/${request.id}`}
                  data-testid="version-promotion-link"
                  className="flex items-center justify-between gap-2 px-5 py-2.5 text-[13px] hover:bg-subtle"
                >
                  <span className="min-w-0">
                    <span className="font-medium text-ink">→ {request.environment}</span>
                    <span className="block text-xs text-ink-faint">
                      {formatDateTime(request.createdAt)}
                    </span>
                  </span>
                  <PromotionStateBadge state={request.state} />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
