"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronRight, Inbox } from "lucide-react";
import Link from "next/link";

import { Badge } from "~/components/ui/badge";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatAge } from "~/components/format/time";
import { PromotionStateBadge } from "~/components/governance/promotion-state-badge";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { awaitsDecisionBy } from "./awaiting-viewer";

const columns =
  "grid grid-cols-[minmax(0,2fr)_7rem_minmax(0,1.3fr)_4.5rem_6rem_8rem_1.25rem] items-center gap-4";

const gateTone = {
  clear: "success",
  needs_review: "canary",
  override_required: "canary",
  blocked: "danger",
} as const;

function Header() {
  return (
    <div
      className={`${columns} border-b border-line px-5 py-2.5 text-[11px] font-medium uppercase tracking-wider text-ink-faint`}
    >
      <span>Model version</span>
      <span>Environment</span>
      <span>Requested by</span>
      <span className="text-right">Age</span>
      <span className="text-right">Approvals</span>
      <span>Gates</span>
      <span />
    </div>
  );
}

export function ApprovalsInbox({
  projectSlug,
  userId,
  canApprove,
}: {
  projectSlug: string;
  userId: string;
  canApprove: boolean;
}) {
  const trpc = useTRPC();
  const inbox = useQuery(
    trpc.promotions.list.queryOptions(
      { projectSlug, states: ["awaiting_approval"] },
      { refetchInterval: 15_000 },
    ),
  );

  if (inbox.isPending) {
    return (
      <Card aria-busy="true" aria-label="Loading approvals">
        <Header />
        {[0, 1].map((row) => (
          <div key={row} className="px-5 py-4">
            <Skeleton className="h-4 w-full" />
          </div>
        ))}
      </Card>
    );
  }
  if (inbox.isError) return <QueryError error={inbox.error} onRetry={() => inbox.refetch()} />;
  if (inbox.data.length === 0) {
    return (
      <EmptyState icon={Inbox} title="Nothing awaits approval" testId="approvals-empty">
        When an engineer requests a promotion from the registry, it appears here for approvers to
        review its gates, evaluations and model card.
      </EmptyState>
    );
  }

  return (
    <Card data-testid="approvals-inbox">
      <Header />
      <ul>
        {inbox.data.map((request) => {
          const mine = canApprove && awaitsDecisionBy(request, userId);
          return (
            <li key={request.id} className="border-b border-line last:border-b-0">
              <Link
                href={`/approvals/${request.id}`}
                data-testid="approval-row"
                data-request-id={request.id}
                className={`${columns} group px-5 py-3.5 transition-colors hover:bg-hover focus-visible:bg-hover`}
              >
                <div className="min-w-0">
                  <div className="flex items-center gap-2">
                    <span className="truncate text-[13px] font-medium text-ink">
                      {request.modelSlug}
                    </span>
                    <span className="font-mono text-[12px] text-ink-muted">v{request.version}</span>
                    {mine ? <Badge tone="accent">your decision</Badge> : null}
                  </div>
                  <div className="mt-0.5">
                    <PromotionStateBadge state={request.state} />
                  </div>
                </div>
                <span>
                  <Badge tone={request.environment === "production" ? "canary" : "neutral"}>
                    {request.environment}
                  </Badge>
                </span>
                <span className="truncate text-[13px] text-ink-muted">
                  {request.requesterName ?? request.requesterId}
                </span>
                <span className="text-right text-[13px] tabular-nums text-ink-muted">
                  {formatAge(request.createdAt)}
                </span>
                <span className="text-right text-[13px] font-medium tabular-nums text-ink">
                  {request.approvalCount} of {request.requiredApprovals}
                </span>
                <span>
                  {request.gateDecision ? (
                    <Badge
                      tone={gateTone[request.gateDecision as keyof typeof gateTone] ?? "neutral"}
                    >
                      gates: {request.gateDecision.replaceAll("_", " ")}
                    </Badge>
                  ) : (
                    <span className="text-xs text-ink-faint">running</span>
                  )}
                </span>
                <ChevronRight
                  className="size-4 text-ink-faint transition group-hover:translate-x-0.5 group-hover:text-ink-muted"
                  aria-hidden
                />
              </Link>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
