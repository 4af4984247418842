/**
 * When a monitor is due. Buckets are aligned to the Unix epoch (as PostgreSQL's `date_bin` with
 * origin 1970-01-01 and the dashboard align them), so every worker agrees on every bucket end.
 */

const MINUTE_MS = 60_000;

/** The latest bucket end at or before `now`. */
export function latestBucketEnd(now: Date, bucketMinutes: number): Date {
  const bucketMs = bucketMinutes * MINUTE_MS;
  return new Date(Math.floor(now.getTime() / bucketMs) * bucketMs);
}

/**
 * The bucket ends to evaluate, oldest first: those after `lastEvaluated` up to the latest one
 * at or before `now`, at most `maxCatchUp` of them (the most recent). A worker that was down
 * for a day does not replay every missed bucket: old buckets would fire stale alerts and
 * notify about yesterday; the most recent couple keep the breach streaks honest.
 */
export function dueBucketEnds(input: {
  now: Date;
  bucketMinutes: number;
  lastEvaluated: Date | null;
  maxCatchUp: number;
}): Date[] {
  const bucketMs = input.bucketMinutes * MINUTE_MS;
  const latest = latestBucketEnd(input.now, input.bucketMinutes).getTime();
  const ends: Date[] = [];
  for (let end = latest; ends.length < input.maxCatchUp; end -= bucketMs) {
    if (input.lastEvaluated && end <= input.lastEvaluated.getTime()) break;
    ends.push(new Date(end));
  }
  return ends.reverse();
}
