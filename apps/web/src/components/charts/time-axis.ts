const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const clockFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const dayClockFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "14:20" for buckets under a day, "3 Mar" for daily buckets: what an axis tick shows. */
export function formatTimeTick(t: number, bucketMs: number): string {
  return bucketMs >= DAY_MS ? dayFormat.format(t) : clockFormat.format(t);
}

/**
 * The span a bucket covers, for a tooltip title: "3 Mar, 14:20 – 14:25", or "3 Mar" for a
 * daily bucket.
 */
export function formatBucketSpan(t: number, bucketMs: number): string {
  if (bucketMs >= DAY_MS) return dayFormat.format(t);
  const end = clockFormat.format(t + bucketMs);
  return `${dayClockFormat.format(t)} – ${end}`;
}

/** Tick steps a reader counts in: minutes, quarter hours, hours, days. */
const TICK_STEPS_MS = [
  MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
];

/**
 * Tick positions for a time axis: bucket starts that fall on a round step (every 10 minutes,
 * every 6 hours...), at most `maxTicks` of them. Steps are aligned to the epoch in UTC, like
 * the buckets themselves.
 */
export function chooseTimeTicks(bucketStarts: number[], bucketMs: number, maxTicks = 8): number[] {
  if (bucketStarts.length === 0) return [];
  const first = bucketStarts[0] ?? 0;
  const last = bucketStarts[bucketStarts.length - 1] ?? first;
  const span = last - first;
  const step =
    TICK_STEPS_MS.find((candidate) => candidate >= bucketMs && span / candidate <= maxTicks) ??
    Math.max(bucketMs, Math.ceil(span / maxTicks / DAY_MS) * DAY_MS);
  return bucketStarts.filter((t) => t % step === 0);
}
