/**
 * Per-key token buckets: each key may send `ratePerSecond` requests per second on average and
 * up to `burst` at once. Held in this process's memory, so the limit applies per ingest
 * instance (behind N instances a key gets up to N times the rate); that is the usual trade for
 * a limiter that costs no database round trip.
 */
export interface TokenBucketOptions {
  ratePerSecond: number;
  burst: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  /** Buckets idle this long are forgotten, bounding memory (default 10 minutes). */
  idleEvictionMs?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly idleEvictionMs: number;
  private lastEviction: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? (() => Date.now());
    this.idleEvictionMs = options.idleEvictionMs ?? 10 * 60_000;
    this.lastEviction = this.now();
  }

  take(key: string): RateDecision {
    const now = this.now();
    this.evictIdle(now);
    const { ratePerSecond, burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    const refilled = Math.min(
      burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond,
    );
    bucket.updatedAt = now;
    if (refilled >= 1) {
      bucket.tokens = refilled - 1;
      this.buckets.set(key, bucket);
      return { allowed: true };
    }
    bucket.tokens = refilled;
    this.buckets.set(key, bucket);
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / ratePerSecond)),
    };
  }

  private evictIdle(now: number) {
    if (now - this.lastEviction < this.idleEvictionMs) return;
    this.lastEviction = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > this.idleEvictionMs) this.buckets.delete(key);
    }
  }
}
