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
  /** Larger requests commit alone, in parallel, as before: they already amortise a transaction. */
  maxRequestRecords: number;
  /** Most records one group transaction carries (a request is never split). */
  maxGroupRecords: number;
  /** Group transactions of one model running at once in this process. */
  concurrencyPerModel: number;
  /** Longest wait in the queue before a request is answered 503, having stored nothing. */
  queueTimeoutMs: number;
}

export const DEFAULT_GROUP_COMMIT_OPTIONS: GroupCommitOptions = {
  maxRequestRecords: 64,
  maxGroupRecords: 1_000,
  concurrencyPerModel: 2,
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
  running: number;
}

/**
 * Group commit: concurrent small writes to one model share a transaction. Every transaction of a model
 * updates the same rollup and counter rows and holds their locks until it commits, so one
 * transaction per request serialises them, commit included; one per group pays that once for
 * all its requests. Each request keeps its own semantics (see `storePredictionGroup`) and is
 * answered only after the group's COMMIT. When a group fails on a statement (one request's bad
 * data, a deadlock), its requests are retried one transaction each, so a bad request fails
 * alone; when the database is unreachable or saturated, they all fail with it.
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
    // Writes that span several models (or none) run alone: groups are per model.
    if (model === null || request.prepared.length > this.options.maxRequestRecords) {
      return this.storeAlone(request);
    }
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
      queue = { waiting: [], running: 0 };
      this.queues.set(model, queue);
    }
    return queue;
  }

  private pump(model: string) {
    const queue = this.queues.get(model);
    if (!queue) return;
    while (queue.running < this.options.concurrencyPerModel && queue.waiting.length > 0) {
      const group = takeGroup(queue.waiting, this.options.maxGroupRecords);
      queue.running += 1;
      void this.commitGroup(group).finally(() => {
        queue.running -= 1;
        if (queue.running === 0 && queue.waiting.length === 0) this.queues.delete(model);
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
