/**
 * A counting semaphore. Each argon2 verification takes 19 MiB and a core for tens of
 * milliseconds; a burst of sign-ins would otherwise run them all at once and starve the server.
 */
export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.available = size;
  }

  /** Runs `task` when a slot is free, and frees the slot when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.available += 1;
    }
  }

  /** Tasks running now (for tests and metrics). */
  get busy(): number {
    return this.size - this.available;
  }
}

/** At most this many password hashes are verified at once in one process. */
export const PASSWORD_HASHING_CONCURRENCY = 2;

export const passwordHashingSlots = new Semaphore(PASSWORD_HASHING_CONCURRENCY);
