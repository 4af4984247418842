import { LeastRecentlyUsed } from "../services/caches/least-recently-used";

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
  /** Keys held at most; the one idle longest is forgotten first (default: no bound). */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBucketLimiter {
  private readonly buckets: LeastRecentlyUsed<Bucket>;
  private readonly now: () => number;
  private readonly idleEvictionMs: number;
  private lastEviction: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? (() => Date.now());
    this.idleEvictionMs = options.idleEvictionMs ?? 10 * 60_000;
    this.lastEviction = this.now();
    this.buckets = new LeastRecentlyUsed(options.maxKeys ?? Number.POSITIVE_INFINITY);
  }

  take(key: string): RateDecision {
    const now = this.now();
    this.evictIdle(now);
    const { ratePerSecond, burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    const refilled = Math.min(
      burst,
      bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * ratePerSecond,
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

  /** Gives back one token taken from `key` (up to `burst`), as if it had not been taken. */
  refund(key: string) {
    const bucket = this.buckets.peek(key);
    if (bucket) bucket.tokens = Math.min(this.options.burst, bucket.tokens + 1);
  }

  private evictIdle(now: number) {
    if (now - this.lastEviction < this.idleEvictionMs) return;
    this.lastEviction = now;
    for (const [key, bucket] of this.buckets.entries()) {
      if (now - bucket.updatedAt > this.idleEvictionMs) this.buckets.delete(key);
    }
  }
}
