/** Waits `ms` or until `signal` aborts, whichever comes first. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const sleepUnlessAborted: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

export interface CoalesceOptions {
  /** Registers the trigger; resolves to its removal once triggers are being delivered. */
  subscribe: (trigger: () => void) => Promise<() => void>;
  signal: AbortSignal;
  /** At most one event per this many milliseconds; triggers in between fold into the next. */
  minIntervalMs: number;
  /** Emit one event right away (a client reconnecting may have missed changes). */
  emitFirst?: boolean;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * Turns bursts of triggers into events: one event per trigger when they are rare, at most one
 * per `minIntervalMs` when they are not (triggers arriving meanwhile are folded into the next
 * event, never dropped). Yields the time of each event; ends when `signal` aborts.
 */
export async function* coalescedEvents(options: CoalesceOptions): AsyncGenerator<Date> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const { signal } = options;
  let pending = options.emitFirst ?? false;
  let wake: (() => void) | null = null;
  const trigger = () => {
    pending = true;
    wake?.();
  };
  const unsubscribe = await options.subscribe(trigger);
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  let lastEmitted = Number.NEGATIVE_INFINITY;
  try {
    while (!signal.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      const wait = lastEmitted + options.minIntervalMs - now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      pending = false;
      lastEmitted = now();
      yield new Date(lastEmitted);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
