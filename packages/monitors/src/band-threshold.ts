import type { z } from "zod";

import type { BandThreshold } from "@plumbline/contracts";

import { inconclusive, type Judgement } from "./judgement";

/** A band needs at least this many past values to say anything. */
export const MIN_BAND_HISTORY = 3;

/** Centre and spread of past values: mean and sample sd, or median and MAD. */
export function bandCentre(
  method: "mean_sd" | "median_mad",
  values: readonly number[],
): { centre: number; spread: number } {
  if (method === "mean_sd") {
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
    return {
      centre: mean,
      spread: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0,
    };
  }
  const centre = median(values);
  return { centre, spread: median(values.map((v) => Math.abs(v - centre))) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Automatic band over the trailing buckets (`history`, oldest first; null buckets had no data
 * and are left out): breach when the value leaves centre +/- k * spread on the watched side,
 * critical past `criticalK`. The MAD is the raw median absolute deviation (not scaled by
 * 1.4826), so "median +/- 4 MAD" reads as written. A zero spread (a perfectly flat history)
 * breaches on any departure from the centre.
 */
export function judgeBand(
  threshold: z.infer<typeof BandThreshold>,
  value: number | null,
  history: readonly (number | null)[],
): Judgement {
  if (value === null || !Number.isFinite(value)) return inconclusive("no value to judge");
  const past = history
    .slice(-threshold.trailingBuckets)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  if (past.length < MIN_BAND_HISTORY) {
    return inconclusive(
      `only ${past.length} past buckets with data; a band needs ${MIN_BAND_HISTORY}`,
    );
  }
  const { centre, spread } = bandCentre(threshold.method, past);
  const deviation = value - centre;
  const outward =
    threshold.direction === "above"
      ? deviation
      : threshold.direction === "below"
        ? -deviation
        : Math.abs(deviation);
  const outside = (k: number) => outward > k * spread;
  const bound = (k: number) =>
    threshold.direction === "below" ? centre - k * spread : centre + k * spread;
  if (threshold.criticalK !== null && outside(threshold.criticalK)) {
    return {
      verdict: { kind: "breach", severity: "critical" },
      limit: bound(threshold.criticalK),
      reason: `${value} is outside ${centre} +/- ${threshold.criticalK} x ${spread}`,
    };
  }
  if (outside(threshold.warningK)) {
    return {
      verdict: { kind: "breach", severity: "warning" },
      limit: bound(threshold.warningK),
      reason: `${value} is outside ${centre} +/- ${threshold.warningK} x ${spread}`,
    };
  }
  return {
    verdict: { kind: "healthy" },
    limit: bound(threshold.warningK),
    reason: `within ${centre} +/- ${threshold.warningK} x ${spread}`,
  };
}
