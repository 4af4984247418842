import type { DashboardSlice } from "@plumbline/contracts";

import { serializeViewState } from "~/dashboard/url-state";

const HOUR_MS = 60 * 60 * 1000;

/**
 * The model page on the alert's triggering window, with as much context again on each side (at
 * least an hour), never past now, in the alert's slice (version, deployment, segment).
 */
export function triggeringWindowHref(input: {
  modelSlug: string;
  windowStart: Date;
  windowEnd: Date;
  slice: DashboardSlice;
  now: Date;
}): string {
  const length = input.windowEnd.getTime() - input.windowStart.getTime();
  const pad = Math.max(length, HOUR_MS);
  const from = new Date(input.windowStart.getTime() - pad);
  const to = new Date(Math.min(input.windowEnd.getTime() + pad, input.now.getTime()));
  const query = serializeViewState({
    range: { from, to: to > from ? to : input.windowEnd },
    slice: input.slice,
    compare: null,
  });
  return `/models/${encodeURIComponent(input.modelSlug)}?${query}`;
}
