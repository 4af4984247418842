import { TokenBucketLimiter } from "../backpressure/token-bucket-limiter";

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

/**
 * A token bucket of failed authentications per client address. An address that has spent its
 * bucket is refused (429) before its keys are looked up, so a flood of made-up keys costs the
 * database a bounded number of lookups per address. The map holds at most `maxAddresses`
 * buckets: forgetting the idlest one gives an address a fresh bucket, which is the price of a
 * bound that many addresses cannot exhaust.
 */
export class FailedAuthenticationLimiter {
  private readonly buckets: TokenBucketLimiter;

  constructor(options: FailedAuthenticationLimiterOptions) {
    this.buckets = new TokenBucketLimiter({
      ratePerSecond: options.perSecond,
      burst: options.burst,
      now: options.now,
      // The count bound suffices; an idle sweep would only walk every address now and then.
      maxKeys: options.maxAddresses,
      idleEvictionMs: Number.POSITIVE_INFINITY,
    });
  }

  /**
   * Spends one failure of the address: for a failed authentication, or ahead of a lookup that
   * may fail (refunded when the key turns out valid), so that concurrent lookups from one
   * address are bounded by its bucket too. Returns the seconds to wait when the address had
   * none left (the answer is 429), otherwise null.
   */
  spend(address: string): number | null {
    const decision = this.buckets.take(address);
    return decision.allowed ? null : decision.retryAfterSeconds;
  }

  /** Gives back what `spend` took ahead of a lookup whose key was valid. */
  refund(address: string) {
    this.buckets.refund(address);
  }
}
