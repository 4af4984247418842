"use client";

import { useQuery } from "@tanstack/react-query";

import type { MonitorMetric } from "@plumbline/contracts";

import type { AlertMarker } from "~/components/charts/alert-markers";
import { useTRPC } from "~/trpc/react";

import { useDashboard } from "../dashboard-context";

/**
 * The model's alerts that fired inside the window a chart shows (once that window is known),
 * as chart markers; `metrics` keeps only the alerts of those monitors.
 */
export function useAlertMarkers(
  window: { from: Date; to: Date } | undefined,
  metrics?: readonly MonitorMetric[],
): AlertMarker[] {
  const trpc = useTRPC();
  const context = useDashboard();
  const markers = useQuery(
    trpc.alerts.markers.queryOptions(
      {
        projectSlug: context.projectSlug,
        modelSlug: context.modelSlug,
        from: window?.from ?? new Date(0),
        to: window?.to ?? new Date(0),
      },
      { enabled: window !== undefined, refetchInterval: 60_000 },
    ),
  );
  return (markers.data ?? [])
    .filter((marker) => !metrics || metrics.includes(marker.metric))
    .flatMap((marker) =>
      marker.firedAt
        ? [
            {
              id: marker.id,
              t: new Date(marker.firedAt).getTime(),
              severity: marker.severity,
              label: `${marker.monitorName}${marker.feature ? ` (${marker.feature})` : ""}`,
            },
          ]
        : [],
    );
}
