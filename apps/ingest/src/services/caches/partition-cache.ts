import type { SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions, utcDay } from "@plumbline/db/partitions";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A day's partition is checked again after this long (retention may drop old ones). */
const REMEMBER_MS = 60 * 60 * 1000;

/**
 * Remembers which daily partitions of `predictions` this process has made sure of, so the
 * hot path skips the round trip for days it already ensured within the hour.
 */
export class PartitionCache {
  private readonly ensuredAt = new Map<string, number>();

  constructor(private readonly sql: SqlClient) {}

  async ensure(first: Date, last: Date): Promise<void> {
    const now = Date.now();
    let missing = false;
    for (let at = first.getTime(); at <= last.getTime() + DAY_MS - 1; at += DAY_MS) {
      const day = utcDay(new Date(Math.min(at, last.getTime())));
      const seen = this.ensuredAt.get(day);
      if (seen === undefined || now - seen > REMEMBER_MS) missing = true;
    }
    if (!missing) return;
    await ensurePredictionPartitions(this.sql, first, last);
    for (let at = first.getTime(); at <= last.getTime() + DAY_MS - 1; at += DAY_MS) {
      this.ensuredAt.set(utcDay(new Date(Math.min(at, last.getTime()))), now);
    }
  }
}
