import {
  parseApiKey,
  touchApiKeys,
  verifyApiKey,
  type ApiKeyAuthentication,
} from "@plumbline/db/api-keys";
import type { Database, SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import type { FastifyBaseLogger } from "fastify";

import { DatabaseGate } from "../backpressure/database-gate";
import type { IngestMetrics } from "../metrics/ingest-metrics";
import { ApiKeyCache } from "../services/caches/api-key-cache";
import { ApiKeyUseRecorder } from "./api-key-use-recorder";
import { clientAddressBucket } from "./client-address";
import { FailedAuthenticationLimiter } from "./failed-authentication-limiter";

/** How API keys are authenticated; every field has a default. */
export interface ApiKeyAuthenticationOptions {
  /**
   * Where key lookups and last-use writes run. The service gives them a small pool of their
   * own, so that a backlog of writes never delays an authentication. Default: the app's.
   */
  database?: { db: Database; sql: SqlClient };
  /** How long a key row is trusted without reading it again (default 30 s). */
  cacheTtlMs?: number;
  /** How long "no key has this id" is trusted (default 10 s). */
  negativeCacheTtlMs?: number;
  /** Key lookups run at once (default 2); up to 128 more wait. */
  lookupConcurrency?: number;
  /** Failed authentications per client address: sustained per second and burst (5, 50). */
  failuresPerAddress?: { perSecond: number; burst: number };
  /** Milliseconds clock for lifetimes, expiry and buckets; injectable for tests. */
  now?: () => number;
}

export const DEFAULT_API_KEY_CACHE_TTL_MS = 30_000;
export const DEFAULT_API_KEY_NEGATIVE_CACHE_TTL_MS = 10_000;
export const DEFAULT_API_KEY_LOOKUP_CONCURRENCY = 2;
export const DEFAULT_FAILURES_PER_ADDRESS = { perSecond: 5, burst: 50 };

/** Key lookups allowed to wait for one of their connections; more get 503 at once. */
const LOOKUP_QUEUE_MAX = 128;
/** Bounds of the in-memory state: key rows, unknown ids, address buckets, pending last uses. */
const MAX_CACHED_KEYS = 10_000;
const MAX_UNKNOWN_KEY_IDS = 10_000;
const MAX_ADDRESSES = 10_000;
/** `last_used_at` is written at most once per key per minute, by a timer. */
const LAST_USED_GAP_MS = 60_000;
const LAST_USED_FLUSH_MS = 5_000;

export type AuthenticationOutcome =
  | { ok: true; key: ApiKey }
  | {
      ok: false;
      reason: Exclude<ApiKeyAuthentication, { ok: true }>["reason"] | "missing";
      /** Set when the client address has spent its failures: answer 429 with this wait. */
      retryAfterSeconds?: number;
    };

/**
 * Authenticates API keys off the write path. A key in the cache is checked in memory; one that
 * is not is read once (shared by concurrent requests) through a gate of its own. A client
 * address that keeps presenting keys that fail is refused before its keys are looked up, unless
 * the key is one the cache has already seen valid with this very secret: a flood of made-up
 * keys from one address therefore costs the database a bounded number of lookups, and costs the
 * valid keys sent meanwhile nothing.
 */
export class ApiKeyAuthenticator {
  private readonly cache: ApiKeyCache;
  private readonly limiter: FailedAuthenticationLimiter;
  private readonly uses: ApiKeyUseRecorder;
  private readonly sql: SqlClient;
  private readonly now: () => number;
  private readonly metrics: IngestMetrics;
  private log: FastifyBaseLogger | null = null;

  constructor(
    options: ApiKeyAuthenticationOptions & {
      database: { db: Database; sql: SqlClient };
      /** Longest wait of a lookup for a connection before 503. */
      queueTimeoutMs: number;
      metrics: IngestMetrics;
    },
  ) {
    this.metrics = options.metrics;
    this.now = options.now ?? (() => Date.now());
    this.sql = options.database.sql;
    const gate = new DatabaseGate({
      concurrency: options.lookupConcurrency ?? DEFAULT_API_KEY_LOOKUP_CONCURRENCY,
      maxQueued: LOOKUP_QUEUE_MAX,
      queueTimeoutMs: options.queueTimeoutMs,
    });
    this.cache = new ApiKeyCache({
      db: options.database.db,
      gate,
      ttlMs: options.cacheTtlMs ?? DEFAULT_API_KEY_CACHE_TTL_MS,
      negativeTtlMs: options.negativeCacheTtlMs ?? DEFAULT_API_KEY_NEGATIVE_CACHE_TTL_MS,
      maxEntries: MAX_CACHED_KEYS,
      maxNegativeEntries: MAX_UNKNOWN_KEY_IDS,
      now: this.now,
    });
    const failures = options.failuresPerAddress ?? DEFAULT_FAILURES_PER_ADDRESS;
    this.limiter = new FailedAuthenticationLimiter({
      ...failures,
      maxAddresses: MAX_ADDRESSES,
      now: this.now,
    });
    const db = options.database.db;
    this.uses = new ApiKeyUseRecorder({
      write: (uses) => gate.run(() => touchApiKeys(db, uses)),
      flushIntervalMs: LAST_USED_FLUSH_MS,
      minimumGapMs: LAST_USED_GAP_MS,
      maxKeys: MAX_CACHED_KEYS,
      now: () => Date.now(),
      onError: (error) => this.log?.warn({ err: error }, "could not record API keys' last use"),
    });
  }

  /** Starts listening for key changes and the last-use timer; failures are logged, not fatal. */
  start(log: FastifyBaseLogger) {
    this.log = log;
    this.uses.start();
    this.cache.listen(this.sql).catch((error: unknown) => {
      // postgres.js keeps trying to LISTEN; until it does, keys are read on every request.
      log.warn({ err: error }, "could not LISTEN for API key changes yet");
    });
  }

  /** Stops listening and writes the last uses still pending. */
  async close() {
    await this.cache.close();
    await this.uses.stop().catch(() => undefined);
  }

  /**
   * The key behind `token`, or why not. `address` is the client's; failures are counted
   * against it. Rejects with 503 only when the key had to be read and the database could not
   * answer.
   */
  async authenticate(
    token: string | null,
    address: string | undefined,
  ): Promise<AuthenticationOutcome> {
    const bucket = clientAddressBucket(address);
    const parsed = token === null ? null : parseApiKey(token);
    if (!parsed) return this.failed(bucket, token === null ? "missing" : "malformed");

    const cached = this.cache.peek(parsed.keyId);
    if (cached?.state === "fresh") {
      this.metrics.apiKeyLookups.inc({ result: cached.key ? "hit" : "negative_hit" });
      return this.settle(bucket, verifyApiKey(parsed, cached.key, new Date(this.now())));
    }
    // A stale row this very secret matches proves the caller holds a real key: it is read
    // again whatever the address has failed before.
    const provenHolder =
      cached?.state === "stale" && verifyApiKey(parsed, cached.key, new Date(this.now())).ok;
    if (!provenHolder) {
      // Spent ahead, so concurrent lookups from one address are bounded by its bucket.
      const retryAfterSeconds = this.limiter.spend(bucket);
      if (retryAfterSeconds !== null) {
        this.metrics.authRefusedByAddress.inc();
        return { ok: false, reason: "unknown", retryAfterSeconds };
      }
    }
    this.metrics.apiKeyLookups.inc({ result: "miss" });
    let key: ApiKey | null;
    try {
      key = await this.cache.load(parsed.keyId);
    } catch (error) {
      if (!provenHolder) this.limiter.refund(bucket);
      throw error;
    }
    const verdict = verifyApiKey(parsed, key, new Date(this.now()));
    if (verdict.ok) {
      if (!provenHolder) this.limiter.refund(bucket);
      return verdict;
    }
    // The failure of a key that was not a proven holder is already paid for.
    return provenHolder
      ? this.failed(bucket, verdict.reason)
      : { ok: false, reason: verdict.reason };
  }

  /** Notes a use of the key for `last_used_at`, written later off the request path. */
  recordUse(key: ApiKey) {
    this.uses.note(key);
  }

  private settle(bucket: string, verdict: ApiKeyAuthentication): AuthenticationOutcome {
    return verdict.ok ? verdict : this.failed(bucket, verdict.reason);
  }

  private failed(
    bucket: string,
    reason: Exclude<AuthenticationOutcome, { ok: true }>["reason"],
  ): AuthenticationOutcome {
    const retryAfterSeconds = this.limiter.spend(bucket);
    if (retryAfterSeconds === null) return { ok: false, reason };
    this.metrics.authRefusedByAddress.inc();
    return { ok: false, reason, retryAfterSeconds };
  }
}
