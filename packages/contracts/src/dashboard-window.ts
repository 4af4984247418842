import { z } from "zod";

import { StorableDate } from "./storable-date";

import { Deployment } from "./model-reference";
import { ModelSlug, ModelVersion } from "./names";

/**
 * The time window, bucket size and slice of every dashboard query. One definition for the
 * routers (input validation), the web app (URL state, range picker) and the benchmark.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const RANGE_PRESETS = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export const RangePreset = z.enum(RANGE_PRESETS);
export type RangePreset = z.infer<typeof RangePreset>;

export const RANGE_PRESET_MS: Record<RangePreset, number> = {
  "15m": 15 * MINUTE_MS,
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
};

/** Bucket sizes a chart may use, smallest first; rollups are per minute, so a minute is the floor. */
export const BUCKET_STEPS_MS = [
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  HOUR_MS,
  6 * HOUR_MS,
  DAY_MS,
] as const;

/** A chart stays readable (and its query cheap) with at most this many buckets. */
export const MAX_BUCKETS = 200;

/** Custom ranges are capped where minute rollups stop being cheap to re-bucket. */
export const MAX_RANGE_MS = 90 * DAY_MS;

/** The smallest bucket step that draws `spanMs` in at most MAX_BUCKETS buckets. */
export function chooseBucketMs(spanMs: number): number {
  for (const step of BUCKET_STEPS_MS) {
    if (Math.ceil(spanMs / step) <= MAX_BUCKETS) return step;
  }
  return DAY_MS;
}

export const DashboardRange = z.union([
  z.strictObject({ preset: RangePreset }),
  z
    .strictObject({ from: StorableDate, to: StorableDate })
    .refine((range) => range.to.getTime() > range.from.getTime(), {
      message: "the range must end after it starts",
    })
    .refine((range) => range.to.getTime() - range.from.getTime() <= MAX_RANGE_MS, {
      message: "a custom range may span at most 90 days",
    }),
]);
export type DashboardRange = z.infer<typeof DashboardRange>;

/** A slice of a model's traffic; every field narrows, none widens. */
export const DashboardSlice = z.strictObject({
  version: ModelVersion.optional(),
  deployment: Deployment.optional(),
  segment: z
    .strictObject({ name: z.string().min(1).max(128), value: z.string().max(512) })
    .optional(),
});
export type DashboardSlice = z.infer<typeof DashboardSlice>;

/**
 * The input every model-page query shares. Not strict: tRPC parses each chained input on its
 * own, and the project procedure builder adds `projectSlug` beside these keys.
 */
export const DashboardWindowInput = z.object({
  modelSlug: ModelSlug,
  range: DashboardRange,
  slice: DashboardSlice.default({}),
});
export type DashboardWindowInput = z.input<typeof DashboardWindowInput>;

/** A resolved window: bucket-aligned `[from, to)` and the bucket size. */
export interface ResolvedWindow {
  from: Date;
  to: Date;
  bucketMs: number;
  /** Start of the bucket that holds `now`, when the window reaches the present: drawn as in progress. */
  inProgressBucket: Date | null;
}

/**
 * Turns a range into bucket-aligned bounds. A preset ends at the end of the bucket holding
 * `now` (so the bucket in progress is included and flagged); a custom range is widened to
 * whole buckets. Buckets are aligned to the Unix epoch, as PostgreSQL's `date_bin` with origin
 * 1970-01-01 aligns them, so the server and the client agree on every bucket start.
 */
export function resolveWindow(range: DashboardRange, now: Date): ResolvedWindow {
  const nowMs = now.getTime();
  const fromMs = "preset" in range ? nowMs - RANGE_PRESET_MS[range.preset] : range.from.getTime();
  const toMs = "preset" in range ? nowMs : range.to.getTime();
  const bucketMs = chooseBucketMs(toMs - fromMs);
  const alignedFrom = Math.floor(fromMs / bucketMs) * bucketMs;
  const alignedTo = Math.ceil((toMs + 1) / bucketMs) * bucketMs;
  const reachesNow = alignedTo > nowMs;
  return {
    from: new Date(alignedFrom),
    to: new Date(alignedTo),
    bucketMs,
    inProgressBucket: reachesNow ? new Date(Math.floor(nowMs / bucketMs) * bucketMs) : null,
  };
}

/** Every bucket start of a resolved window, oldest first. */
export function bucketStarts(window: Pick<ResolvedWindow, "from" | "to" | "bucketMs">): Date[] {
  const starts: Date[] = [];
  for (let t = window.from.getTime(); t < window.to.getTime(); t += window.bucketMs) {
    starts.push(new Date(t));
  }
  return starts;
}
