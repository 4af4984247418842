"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

/** How many alerts fired and are still open; nothing when none. */
export function AlertsNavBadge({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const open = useQuery(
    trpc.alerts.openCount.queryOptions({ projectSlug }, { refetchInterval: 30_000 }),
  );
  const count = open.data ?? 0;
  if (count === 0) return null;
  return (
    <span
      className="min-w-5 rounded-full bg-red-700 px-1.5 text-center text-[11px] font-semibold leading-5 text-white tabular-nums"
      aria-label={`${count} open ${count === 1 ? "alert" : "alerts"}`}
      data-testid="alerts-nav-count"
    >
      {count}
    </span>
  );
}
