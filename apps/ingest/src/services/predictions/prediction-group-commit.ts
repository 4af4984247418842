import type { SqlClient } from "@plumbline/db/client";

import { databaseSaturated, type DatabaseGate } from "../../backpressure/database-gate";
import { isDatabaseUnavailable } from "../../database-errors";
import { HttpError } from "../../http-errors";
import { IdempotencyKeyTaken, type StoredResponse } from "../idempotency/idempotency-ledger";
import {
  storePredictionGroup,
  type StoreOutcome,
  type StoreRequest,
  type StoreResult,
} from "./store-predictions";

export interface GroupCommitOptions {
  /** Most records one group transaction carries (a request is never split: a bigger one goes alone). */
  maxGroupRecords: number;
  /** Longest wait in the queue before a request is answered 503, having stored nothing. */
  queueTimeoutMs: number;
}

export const DEFAULT_GROUP_COMMIT_OPTIONS: GroupCommitOptions = {
  maxGroupRecords: 5_000,
  queueTimeoutMs: 2_000,
};

interface Pending {
  request: StoreRequest;
  records: number;
  /** `apiKeyId\0key` of its Idempotency-Key, if any. */
  idempotency: string | null;
  resolve: (value: { outcome: StoreOutcome; response: StoredResponse }) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

interface ModelQueue {
  waiting: Pending[];
  /** Its one group transaction is running. */
  busy: boolean;
}

/**
 * One writer per model: every write to a model goes through its queue, and one transaction per
 * model runs at a time in this process, carrying every request that queued while the previous
 * one ran (group commit: the wait is bounded by one transaction, with no timer added to an idle
 * queue). Every transaction of a model adds to the same rollup rows (minute, hour, segments,
 * feature bins) and holds their locks until it commits, so concurrent transactions of one model
 * would queue on those rows, commit included; one writer never waits on them, and its
 * rollups are pre-aggregated over the whole group in memory before one upsert per table.
 * Requests are prepared (parsed, validated, binned) before they queue, so the next group is
 * ready while the current one commits. Each request keeps its own semantics (see
 * `storePredictionGroup`) and is answered only after the group's COMMIT. When a group fails on
 * a statement (one request's bad data), its requests are retried one transaction each, so a bad
 * request fails alone; when the database is unreachable, saturated or the connection dies, they
 * all fail with it, with a retryable error, and nothing of theirs was stored.
 */
export class PredictionGroupCommit {
  private readonly queues = new Map<string, ModelQueue>();

  constructor(
    private readonly sql: SqlClient,
    private readonly gate: DatabaseGate,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT_OPTIONS,
  ) {}

  /** Stores one request's write; resolves after it committed. */
  store(request: StoreRequest): Promise<{ outcome: StoreOutcome; response: StoredResponse }> {
    const model = singleModelOf(request);
    // Writes that span several models (or none, rare) run alone: queues are per model.
    if (model === null) return this.storeAlone(request);
    return new Promise((resolve, reject) => {
      const queue = this.queueOf(model);
      const claim = request.bookkeeping.idempotency;
      const pending: Pending = {
        request,
        records: request.prepared.length,
        idempotency: claim ? `${claim.apiKeyId}\u0000${claim.key}` : null,
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = queue.waiting.indexOf(pending);
          if (index < 0) return;
          queue.waiting.splice(index, 1);
          reject(databaseSaturated(`not answering within ${this.options.queueTimeoutMs} ms`));
        }, this.options.queueTimeoutMs),
      };
      queue.waiting.push(pending);
      this.pump(model);
    });
  }

  private queueOf(model: string): ModelQueue {
    let queue = this.queues.get(model);
    if (!queue) {
      queue = { waiting: [], busy: false };
      this.queues.set(model, queue);
    }
    return queue;
  }

  private pump(model: string) {
    const queue = this.queues.get(model);
    if (!queue) return;
    if (!queue.busy && queue.waiting.length > 0) {
      const group = takeGroup(queue.waiting, this.options.maxGroupRecords);
      queue.busy = true;
      void this.commitGroup(group).finally(() => {
        queue.busy = false;
        if (queue.waiting.length === 0) this.queues.delete(model);
        else this.pump(model);
      });
    }
  }

  private async commitGroup(group: Pending[]) {
    let results: StoreResult[];
    try {
      results = await this.gate.run(() =>
        this.sql.begin((tx) =>
          storePredictionGroup(
            tx,
            group.map((pending) => pending.request),
          ),
        ),
      );
    } catch (error) {
      if (group.length > 1 && isStatementFailure(error)) {
        // Nothing committed: each request alone, so the one that failed fails by itself.
        await Promise.all(
          group.map((pending) =>
            this.storeAlone(pending.request).then(pending.resolve, pending.reject),
          ),
        );
      } else {
        for (const pending of group) pending.reject(error);
      }
      return;
    }
    group.forEach((pending, index) => {
      const result = results[index];
      if (result?.stored) pending.resolve({ outcome: result.outcome, response: result.response });
      else pending.reject(new IdempotencyKeyTaken());
    });
  }

  private async storeAlone(request: StoreRequest) {
    const [result] = await this.gate.run(() =>
      this.sql.begin((tx) => storePredictionGroup(tx, [request])),
    );
    if (!result?.stored) throw new IdempotencyKeyTaken();
    return { outcome: result.outcome, response: result.response };
  }
}

function singleModelOf(request: StoreRequest): string | null {
  const first = request.prepared[0];
  if (!first) return null;
  for (const prediction of request.prepared) {
    if (prediction.modelId !== first.modelId) return null;
  }
  return first.modelId;
}

/**
 * The oldest waiting request and those after it that fit, in arrival order. A request whose
 * Idempotency-Key is already in the group waits for the next one: it must see the first one's
 * committed answer, to replay it.
 */
function takeGroup(waiting: Pending[], maxRecords: number): Pending[] {
  const group: Pending[] = [];
  const keys = new Set<string>();
  let records = 0;
  for (let index = 0; index < waiting.length;) {
    const pending = waiting[index]!;
    const fits = group.length === 0 || records + pending.records <= maxRecords;
    const keyTaken = pending.idempotency !== null && keys.has(pending.idempotency);
    if (!fits) break;
    if (keyTaken) {
      index += 1;
      continue;
    }
    waiting.splice(index, 1);
    clearTimeout(pending.timer);
    group.push(pending);
    records += pending.records;
    if (pending.idempotency !== null) keys.add(pending.idempotency);
  }
  return group;
}

/**
 * A failure raised by one of the group's statements, which running the requests one by one can
 * isolate. Not: the gate refusing (503), or the connection or server going away.
 */
function isStatementFailure(error: unknown): boolean {
  if (error instanceof HttpError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "40P01" || code === "40001") return true;
  return !isDatabaseUnavailable(error);
}
