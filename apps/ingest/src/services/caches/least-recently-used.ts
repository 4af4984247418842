/**
 * A map that keeps at most `capacity` entries, forgetting the least recently used one before it
 * stores a new one (a Map iterates in insertion order; a read re-inserts).
 */
export class LeastRecentlyUsed<V> {
  private readonly items = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.size;
  }

  /** The value of `key`, which becomes the most recently used. */
  get(key: string): V | undefined {
    const value = this.items.get(key);
    if (value !== undefined) {
      this.items.delete(key);
      this.items.set(key, value);
    }
    return value;
  }

  /** The value of `key`, leaving the order as it is (a look that is not a use). */
  peek(key: string): V | undefined {
    return this.items.get(key);
  }

  set(key: string, value: V) {
    this.items.delete(key);
    if (this.items.size >= this.capacity) {
      const oldest = this.items.keys().next();
      if (!oldest.done) this.items.delete(oldest.value);
    }
    this.items.set(key, value);
  }

  delete(key: string) {
    this.items.delete(key);
  }

  clear() {
    this.items.clear();
  }

  /** The entries, least recently used first; deleting while iterating is safe. */
  entries(): MapIterator<[string, V]> {
    return this.items.entries();
  }
}
