/**
 * Memoises rollup reads within one evaluation pass, keyed by (model, source, slice, span,
 * granule): the fifteen catalog monitors of a model mostly watch the same hour of the same
 * slice, so the pass reads each rollup table once per model instead of once per monitor.
 * Promises are stored, so monitors evaluated concurrently share one query in flight.
 */
export class ReadingCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = load();
      this.entries.set(key, entry);
      // A failed read is not cached: the next monitor (or pass) tries again.
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
