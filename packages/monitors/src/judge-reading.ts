import type { MonitorThreshold } from "@plumbline/contracts";

import { judgeBand } from "./band-threshold";
import { inconclusive, type Judgement } from "./judgement";
import type { Reading } from "./reading";
import { judgeRelative } from "./relative-threshold";
import { judgeStatic } from "./static-threshold";
import { judgeStatistical } from "./statistical-threshold";

/**
 * Judges one reading against a monitor's threshold. Fewer samples than `minSamples` is
 * inconclusive whatever the value says: the streaks of an open alert stay as they are.
 * `history` holds the values of the trailing buckets (oldest first) for a band.
 */
export function judgeReading(
  threshold: MonitorThreshold,
  reading: Reading,
  history: readonly (number | null)[] = [],
  options: { minSamples?: number } = {},
): Judgement {
  const minSamples = options.minSamples ?? 0;
  if (reading.samples < minSamples) {
    return inconclusive(`${reading.samples} samples, fewer than the ${minSamples} required`);
  }
  switch (threshold.kind) {
    case "static":
      return judgeStatic(threshold, reading.value);
    case "relative":
      return judgeRelative(threshold, reading.value, reading.baseline);
    case "band":
      return judgeBand(threshold, reading.value, history);
    case "statistical":
      return judgeStatistical(reading);
  }
}
