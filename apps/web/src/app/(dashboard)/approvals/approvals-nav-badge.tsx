"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

import { awaitsDecisionBy } from "./awaiting-viewer";

/** How many requests wait for the viewer's decision; nothing when none. */
export function ApprovalsNavBadge({
  projectSlug,
  userId,
}: {
  projectSlug: string;
  userId: string;
}) {
  const trpc = useTRPC();
  const awaiting = useQuery(
    trpc.promotions.list.queryOptions(
      { projectSlug, states: ["awaiting_approval"] },
      { refetchInterval: 30_000 },
    ),
  );
  const count = awaiting.data?.filter((request) => awaitsDecisionBy(request, userId)).length ?? 0;
  if (count === 0) return null;
  return (
    <span
      className="min-w-5 rounded-full bg-accent px-1.5 text-center text-[11px] font-semibold leading-5 text-white tabular-nums"
      aria-label={`${count} awaiting your decision`}
      data-testid="approvals-nav-count"
    >
      {count}
    </span>
  );
}
