import type { BatchDelivery, QueuedRecord } from "./deliver-batch";
import type { MutableCounters, PlumblineErrorEvent, RecordKind } from "./events";

export interface RecordBufferSettings {
  kind: RecordKind;
  batchSize: number;
  maxBatchBytes: number;
  capacity: number;
  flushIntervalMs: number;
}

interface FlushWaiter {
  /** Resolves once this many records (counted since the start) have left the buffer and settled. */
  target: number;
  resolve: () => void;
}

/**
 * A bounded FIFO of serialised records with one background sender. A batch leaves when it is
 * full, when its oldest record has waited `flushIntervalMs`, or when a flush asks for it. When the
 * buffer is full the NEWEST record (the one being logged) is dropped and counted: what is already
 * buffered is older and closer to being sent, and dropping it would cost a copy on the hot path.
 */
export class RecordBuffer {
  private readonly queue: QueuedRecord[] = [];
  /** Records ever admitted to the queue. */
  private admitted = 0;
  /** Records taken out of the queue into a batch. */
  private taken = 0;
  /** Records whose batch has finished (stored, rejected or given up). */
  private settled = 0;
  /** Records admitted before this count must be sent now, even in a partial batch. */
  private sendThrough = 0;
  private readonly waiters: FlushWaiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private overflowing = false;

  constructor(
    private readonly settings: RecordBufferSettings,
    private readonly delivery: BatchDelivery,
    private readonly counters: MutableCounters,
    private readonly report: (event: PlumblineErrorEvent) => void,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  /** Admits a record or drops it; O(1) and synchronous, so it is safe on the inference path. */
  push(record: QueuedRecord): void {
    const { settings } = this;
    if (record.bytes > settings.maxBatchBytes) {
      this.counters.rejected += 1;
      this.report({
        type: "invalid_record",
        kind: settings.kind,
        predictionId: record.predictionId,
        message: `The record is ${record.bytes} bytes of JSON, more than a request may carry (${settings.maxBatchBytes})`,
      });
      return;
    }
    if (this.queue.length >= settings.capacity) {
      this.counters.dropped += 1;
      if (!this.overflowing) {
        this.overflowing = true;
        this.report({ type: "buffer_full", kind: settings.kind, capacity: settings.capacity });
      }
      return;
    }
    this.overflowing = false;
    this.queue.push(record);
    this.admitted += 1;
    if (this.queue.length >= settings.batchSize) this.startSending();
    else this.armTimer();
  }

  /** Resolves when every record admitted so far has settled. */
  flush(): Promise<void> {
    const target = this.admitted;
    if (this.settled >= target) return Promise.resolve();
    this.sendThrough = Math.max(this.sendThrough, target);
    const flushed = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.startSending();
    return flushed;
  }

  /** Stops the interval timer; records still buffered are sent only by a flush. */
  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private armTimer(): void {
    if (this.timer !== null || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sendThrough = Math.max(this.sendThrough, this.admitted);
      this.startSending();
    }, this.settings.flushIntervalMs);
    // An idle timer must not keep the process alive; `beforeExit` flushes what is left.
    this.timer.unref();
  }

  private hasBatchToSend(): boolean {
    if (this.queue.length === 0) return false;
    return this.queue.length >= this.settings.batchSize || this.taken < this.sendThrough;
  }

  private startSending(): void {
    if (this.sending) return;
    this.sending = true;
    void this.sendWhileDue().finally(() => {
      this.sending = false;
      // A record may have arrived between the loop's last check and now.
      if (this.hasBatchToSend()) this.startSending();
      else this.armTimer();
    });
  }

  /** One request at a time keeps ordering simple and lets a struggling server slow the client. */
  private async sendWhileDue(): Promise<void> {
    while (this.hasBatchToSend()) {
      const batch = this.takeBatch();
      this.taken += batch.length;
      await this.delivery.deliver(batch);
      this.settled += batch.length;
      this.resolveWaiters();
    }
  }

  private takeBatch(): QueuedRecord[] {
    const { batchSize, maxBatchBytes } = this.settings;
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < batchSize) {
      const next = this.queue[count]!.bytes + 1; // + 1 for the separating comma
      if (count > 0 && bytes + next > maxBatchBytes) break;
      bytes += next;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private resolveWaiters(): void {
    for (let index = this.waiters.length - 1; index >= 0; index -= 1) {
      const waiter = this.waiters[index]!;
      if (this.settled >= waiter.target) {
        this.waiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }
}
