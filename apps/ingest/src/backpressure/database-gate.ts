import { HttpError } from "../http-errors";

/** Seconds a client should wait before retrying when the database is saturated or down. */
export const DATABASE_BUSY_RETRY_AFTER_SECONDS = 2;

export interface DatabaseGateOptions {
  /** Operations running at once: the pool size, so postgres.js never queues internally. */
  concurrency: number;
  /** Operations allowed to wait; one more is refused at once. */
  maxQueued: number;
  /** Longest wait for a slot. */
  queueTimeoutMs: number;
}

/** 503 with Retry-After: the database is saturated or not answering; nothing was stored. */
export function databaseSaturated(reason: string): HttpError {
  return new HttpError(
    503,
    "database_unavailable",
    `The database is ${reason}; nothing was stored. Retry later.`,
    undefined,
    { "retry-after": String(DATABASE_BUSY_RETRY_AFTER_SECONDS) },
  );
}

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded queue in front of the database. postgres.js would otherwise queue every query
 * without limit while Postgres is slow, holding request bodies in memory until the client
 * times out; here a request waits at most `queueTimeoutMs` behind at most `maxQueued` others,
 * then gets 503 with Retry-After, having stored nothing.
 */
export class DatabaseGate {
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly options: DatabaseGateOptions) {}

  get inUse(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiters.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.options.maxQueued) {
      return Promise.reject(databaseSaturated("saturated"));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(databaseSaturated(`not answering within ${this.options.queueTimeoutMs} ms`));
        }, this.options.queueTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private release() {
    const next = this.waiters.shift();
    if (next) {
      // The slot passes straight to the next waiter: `running` stays the same.
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.running -= 1;
    }
  }
}
