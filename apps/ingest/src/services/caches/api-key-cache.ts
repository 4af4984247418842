import { API_KEY_NOTIFY_CHANNEL, findApiKeysByKeyIds } from "@plumbline/db/api-keys";
import type { Database, SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";

import type { DatabaseGate } from "../../backpressure/database-gate";
import { LeastRecentlyUsed } from "./least-recently-used";

export interface ApiKeyCacheOptions {
  /** Where key rows are read: in the service, a small pool of their own. */
  db: Database;
  /** The lookups' own bounded queue, apart from the writes'. */
  gate: DatabaseGate;
  /** How long a key row read from the database is trusted without reading it again. */
  ttlMs: number;
  /** How long "no key has this id" is trusted. */
  negativeTtlMs: number;
  /** Key rows held at most (least recently used first out). */
  maxEntries: number;
  /** Unknown key ids held at most. */
  maxNegativeEntries: number;
  /** Milliseconds clock; injectable for tests. */
  now: () => number;
}

/** What the cache knows about a key id without asking the database. */
export type CachedApiKey =
  /** Within its lifetime: the row (null: no key has this id). */
  | { state: "fresh"; key: ApiKey | null }
  /** A row past its lifetime: to be read again before it is trusted. */
  | { state: "stale"; key: ApiKey };

interface Entry<T> {
  key: T;
  loadedAt: number;
}

/** An entry is refreshed in the background once this share of its lifetime has passed. */
const REFRESH_AHEAD_SHARE = 0.75;

/** Key ids read in one query at most. */
const MAX_BATCH = 256;

interface PendingLookup {
  resolve: (key: ApiKey | null) => void;
  reject: (error: unknown) => void;
}

/**
 * API key rows by their public id, so that a valid key is read from the database at most once
 * per lifetime instead of once per request. The cache holds rows, not verdicts: the secret,
 * revocation and expiry are checked against the row on every request (`verifyApiKey`), so an
 * entry never outlives its key's `expires_at`.
 *
 * Invalidation: every change to a key's row is announced on `plumbline_api_keys` when it commits
 * (see `@plumbline/db/api-keys`). While the cache listens, it drops the entry it hears about. The
 * listening connection reconnects by itself; since notifications sent meanwhile are lost, the
 * whole cache is dropped each time it listens again. Until the first LISTEN has succeeded
 * nothing is stored, so an entry is never trusted without the channel that would invalidate it
 * (a gap while reconnecting is bounded by the lifetime).
 *
 * A read of a row that started before an invalidation is not stored (`generation`), so a
 * revocation racing with a lookup cannot leave the old row cached. Concurrent lookups of one id
 * share one query, and the ids asked for within one turn of the event loop are read together in
 * one query (a flood of made-up keys costs round trips by the batch, not by the key). Hot
 * entries are read again in the background before they expire, so a key in steady use never
 * waits for the database.
 */
export class ApiKeyCache {
  private readonly positive: LeastRecentlyUsed<Entry<ApiKey>>;
  private readonly negative: LeastRecentlyUsed<Entry<null>>;
  private readonly inFlight = new Map<string, Promise<ApiKey | null>>();
  /** Ids waiting for the next batch query. */
  private batch: Map<string, PendingLookup> | null = null;
  private generation = 0;
  private listening = false;
  private unlisten: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(private readonly options: ApiKeyCacheOptions) {
    this.positive = new LeastRecentlyUsed(options.maxEntries);
    this.negative = new LeastRecentlyUsed(options.maxNegativeEntries);
  }

  /** What is known about `keyId` without a query; undefined when it must be read. */
  peek(keyId: string): CachedApiKey | undefined {
    const now = this.options.now();
    const found = this.positive.get(keyId);
    if (found) {
      const age = now - found.loadedAt;
      if (age >= this.options.ttlMs) return { state: "stale", key: found.key };
      if (age >= this.options.ttlMs * REFRESH_AHEAD_SHARE && !this.inFlight.has(keyId)) {
        // Best effort: a failure leaves the entry to expire and be read on the request path.
        this.load(keyId).catch(() => undefined);
      }
      return { state: "fresh", key: found.key };
    }
    const unknown = this.negative.get(keyId);
    if (unknown) {
      if (now - unknown.loadedAt < this.options.negativeTtlMs) return { state: "fresh", key: null };
      this.negative.delete(keyId);
    }
    return undefined;
  }

  /**
   * Reads the row of `keyId` through the lookups' gate (503 when it is saturated) and caches
   * it. Concurrent calls for one id share one query; ids asked for in the same turn of the
   * event loop share one too.
   */
  load(keyId: string): Promise<ApiKey | null> {
    const pending = this.inFlight.get(keyId);
    if (pending) return pending;
    const generation = this.generation;
    const storable = this.listening;
    const loadedAt = this.options.now();
    const lookup = new Promise<ApiKey | null>((resolve, reject) => {
      this.enqueue(keyId, { resolve, reject });
    })
      .then((key) => {
        if (storable && generation === this.generation && !this.closed) {
          if (key) {
            this.negative.delete(keyId);
            this.positive.set(keyId, { key, loadedAt });
          } else {
            this.positive.delete(keyId);
            this.negative.set(keyId, { key: null, loadedAt });
          }
        }
        return key;
      })
      .finally(() => {
        if (this.inFlight.get(keyId) === lookup) this.inFlight.delete(keyId);
      });
    this.inFlight.set(keyId, lookup);
    return lookup;
  }

  private enqueue(keyId: string, lookup: PendingLookup) {
    if (!this.batch) {
      const batch = new Map<string, PendingLookup>();
      this.batch = batch;
      setImmediate(() => this.read(batch));
    }
    this.batch.set(keyId, lookup);
    // A full batch leaves now; the next id starts another.
    if (this.batch.size >= MAX_BATCH) this.batch = null;
  }

  private read(batch: Map<string, PendingLookup>) {
    if (this.batch === batch) this.batch = null;
    const keyIds = [...batch.keys()];
    this.options.gate
      .run(() => findApiKeysByKeyIds(this.options.db, keyIds))
      .then(
        (rows) => {
          const byKeyId = new Map(rows.map((row) => [row.keyId, row]));
          for (const [keyId, lookup] of batch) lookup.resolve(byKeyId.get(keyId) ?? null);
        },
        (error: unknown) => {
          for (const lookup of batch.values()) lookup.reject(error);
        },
      );
  }

  /** Forgets one key id (its row changed); a lookup already running will not store its row. */
  invalidate(keyId: string) {
    this.generation += 1;
    this.positive.delete(keyId);
    this.negative.delete(keyId);
    this.inFlight.delete(keyId);
  }

  /** Forgets everything. */
  clear() {
    this.generation += 1;
    this.positive.clear();
    this.negative.clear();
    this.inFlight.clear();
  }

  /**
   * LISTENs on the key channel through `sql` (postgres.js opens one dedicated connection and
   * re-LISTENs after it drops). Resolves once listening; rejects if the first attempt fails.
   */
  async listen(sql: SqlClient): Promise<void> {
    const subscription = await sql.listen(
      API_KEY_NOTIFY_CHANNEL,
      (keyId) => this.invalidate(keyId),
      () => {
        // Called after the first LISTEN and after every reconnect: anything cached before may
        // have missed a notification.
        this.clear();
        this.listening = true;
      },
    );
    const unlisten = () => subscription.unlisten();
    if (this.closed) await unlisten();
    else this.unlisten = unlisten;
  }

  /** Stops listening and forgets everything. */
  async close() {
    this.closed = true;
    this.listening = false;
    this.clear();
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.();
  }
}
