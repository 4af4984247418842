/**
 * Webhook delivery retries (spec: "delivers with retries"). A delivery gets
 * {@link MAX_DELIVERY_ATTEMPTS} attempts; after the n-th failed attempt the next one waits
 * `RETRY_DELAYS_SECONDS[n - 1]`, spread by ±{@link RETRY_JITTER_RATIO} so that many deliveries that
 * failed together (a receiver's outage) do not return together. The whole schedule spans about
 * 10.5 hours before a delivery is marked failed.
 */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 1_800, 3_600, 10_800, 21_600] as const;

export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

export const RETRY_JITTER_RATIO = 0.2;

export type NextDeliveryAttempt =
  | { retry: true; attempt: number; delayMs: number; minDelayMs: number; maxDelayMs: number }
  | { retry: false };

/**
 * The attempt after `failedAttempt` (1-based: 1 is the first delivery) and when to make it, or
 * `{ retry: false }` once {@link MAX_DELIVERY_ATTEMPTS} have failed. `random` returns [0, 1) and is
 * injectable for tests.
 *
 * @example
 * nextDeliveryAttempt(1, () => 0.5); // { retry: true, attempt: 2, delayMs: 30000, minDelayMs: 24000, maxDelayMs: 36000 }
 * nextDeliveryAttempt(8); // { retry: false }
 */
export function nextDeliveryAttempt(
  failedAttempt: number,
  random: () => number = Math.random,
): NextDeliveryAttempt {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) {
    throw new RangeError("nextDeliveryAttempt: failedAttempt is a whole number from 1");
  }
  const base = RETRY_DELAYS_SECONDS[failedAttempt - 1];
  if (base === undefined) return { retry: false };
  const minDelayMs = Math.round(base * 1000 * (1 - RETRY_JITTER_RATIO));
  const maxDelayMs = Math.round(base * 1000 * (1 + RETRY_JITTER_RATIO));
  const unit = Math.min(Math.max(random(), 0), 1);
  const delayMs = Math.round(minDelayMs + unit * (maxDelayMs - minDelayMs));
  return { retry: true, attempt: failedAttempt + 1, delayMs, minDelayMs, maxDelayMs };
}
