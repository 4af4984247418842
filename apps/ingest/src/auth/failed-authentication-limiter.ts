export interface FailedAuthenticationLimiterOptions {
  /** Failed authentications per second an address earns back. */
  perSecond: number;
  /** Failed authentications an address may have at once. */
  burst: number;
  /** Addresses remembered at most; the one idle longest is forgotten first. */
  maxAddresses: number;
  /** Milliseconds clock; injectable for tests. */
  now: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket of failed authentications per client address. An address that has spent its
 * bucket is refused (429) before its keys are looked up, so a flood of made-up keys costs the
 * database a bounded number of lookups per address. The map holds at most `maxAddresses`
 * buckets: forgetting the idlest one gives an address a fresh bucket, which is the price of a
 * bound that many addresses cannot exhaust.
 */
export class FailedAuthenticationLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: FailedAuthenticationLimiterOptions) {}

  /**
   * Spends one failure of the address: for a failed authentication, or ahead of a lookup that
   * may fail (refunded when the key turns out valid), so that concurrent lookups from one
   * address are bounded by its bucket too. Returns the seconds to wait when the address had
   * none left (the answer is 429), otherwise null.
   */
  spend(address: string): number | null {
    const now = this.options.now();
    let bucket = this.buckets.get(address);
    if (bucket) {
      this.buckets.delete(address);
    } else {
      if (this.buckets.size >= this.options.maxAddresses) {
        const idlest = this.buckets.keys().next();
        if (!idlest.done) this.buckets.delete(idlest.value);
      }
      bucket = { tokens: this.options.burst, updatedAt: now };
    }
    // Re-inserted, so iteration order is least recently used first.
    this.buckets.set(address, bucket);
    bucket.tokens = this.refill(bucket, now);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return this.secondsUntilOneToken(bucket.tokens);
    bucket.tokens -= 1;
    return null;
  }

  /** Gives back what `spend` took ahead of a lookup whose key was valid. */
  refund(address: string) {
    const bucket = this.buckets.get(address);
    if (bucket) bucket.tokens = Math.min(this.options.burst, bucket.tokens + 1);
  }

  private refill(bucket: Bucket, now: number): number {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    return Math.min(this.options.burst, bucket.tokens + elapsedSeconds * this.options.perSecond);
  }

  private secondsUntilOneToken(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.options.perSecond));
  }
}
