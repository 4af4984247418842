/**
 * "Full jitter" exponential backoff: a uniformly random delay between 0 and
 * min(maxMs, initialMs * 2^attempt). Spreading retries over the whole window keeps many clients
 * that failed together from retrying together (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015).
 */
export function fullJitterDelayMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** A server asking for more than this is treated as asking for this, so a client never stalls. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP date. Returns the wait
 * in milliseconds, capped at {@link MAX_RETRY_AFTER_MS}, or null when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (value === "") return null;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date always names a weekday and a month; Date.parse alone would read "-1" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}

/** Waits `ms`; resolves early (never rejects) when `signal` aborts, so shutdown is not held up. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    // Kept referenced on purpose: a batch waiting to be retried must keep the process alive long
    // enough to be delivered, or flush-on-exit would lose it.
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
