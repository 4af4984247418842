import type { ApiKey } from "@plumbline/db/schema";

import { LeastRecentlyUsed } from "../services/caches/least-recently-used";

export interface ApiKeyUseRecorderOptions {
  /** Writes the last-used times of many keys at once (`touchApiKeys`). */
  write: (uses: { id: string; usedAt: Date }[]) => Promise<void>;
  /** How often pending uses are written. */
  flushIntervalMs: number;
  /** A key's last use is written at most once per this interval. */
  minimumGapMs: number;
  /** Keys tracked at most; a use beyond that waits for a later request. */
  maxKeys: number;
  now: () => number;
  /** Told when a write fails; the uses are kept for the next one. */
  onError: (error: unknown) => void;
}

/**
 * Keeps `api_keys.last_used_at` current without a write per request: a request only notes its
 * key in memory, and a timer writes the noted keys in one statement, each key at most once per
 * `minimumGapMs`. Last use is bookkeeping shown in the settings page, so it may lag by up to a
 * flush interval; a write that fails is retried at the next flush.
 */
export class ApiKeyUseRecorder {
  /** Key id -> latest use not yet written. */
  private readonly pending = new Map<string, number>();
  /** Key id -> the last use written (the key written longest ago forgotten first). */
  private readonly written: LeastRecentlyUsed<number>;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: ApiKeyUseRecorderOptions) {
    this.written = new LeastRecentlyUsed(options.maxKeys);
  }

  /** Notes one use of `key`; never waits, never touches the database. */
  note(key: ApiKey) {
    const now = this.options.now();
    const lastWritten = Math.max(
      this.written.peek(key.id) ?? Number.NEGATIVE_INFINITY,
      key.lastUsedAt?.getTime() ?? Number.NEGATIVE_INFINITY,
    );
    if (now - lastWritten < this.options.minimumGapMs) return;
    if (!this.pending.has(key.id) && this.pending.size >= this.options.maxKeys) return;
    this.pending.set(key.id, now);
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes what is pending (one statement); concurrent calls share the write in progress. */
  flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is pending. */
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writePending() {
    if (this.pending.size === 0) return;
    const uses = [...this.pending].map(([id, usedAt]) => ({ id, usedAt: new Date(usedAt) }));
    this.pending.clear();
    try {
      await this.options.write(uses);
    } catch (error) {
      for (const use of uses) {
        if (!this.pending.has(use.id) && this.pending.size < this.options.maxKeys) {
          this.pending.set(use.id, use.usedAt.getTime());
        }
      }
      this.options.onError(error);
      return;
    }
    for (const use of uses) this.written.set(use.id, use.usedAt.getTime());
  }
}
