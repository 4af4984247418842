import {
  describeIssue,
  parsePredictionBatch,
  summarizeIssues,
  type IngestResponse,
  type IssueDescription,
  type PredictionRecord,
} from "@plumbline/contracts";
import { apiKeyAllowsModel } from "@plumbline/db/api-keys";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";

import type { DatabaseGate } from "../../backpressure/database-gate";
import { rejectUnparsableLines } from "../../body/request-body";
import { DataQualityWarnings } from "./feature-schema-check";
import type { IdempotencyClaim, StoredResponse } from "../idempotency/idempotency-ledger";
import { countByCode } from "../status/key-counters";
import type { ModelCache } from "../caches/model-cache";
import type { PartitionCache } from "../caches/partition-cache";
import type { PredictionGroupCommit } from "./prediction-group-commit";
import { preparePrediction, type PreparedPrediction } from "./prediction-rows";
import type {
  BinningProfile,
  ReferenceProfileCache,
} from "../reference-profiles/reference-profile-cache";
import { Rejections } from "../status/rejections";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock skew we tolerate: a record stamped further ahead is a client bug, not the future. */
export const MAX_FUTURE_SKEW_MS = DAY_MS;
/** Raw predictions are kept this long; older records would land in dropped partitions. */
export const RETENTION_MS = 30 * DAY_MS;

export interface RecordPredictionsContext {
  sql: SqlClient;
  /** The bounded database queue: every look-up here runs through it. */
  gate: Pick<DatabaseGate, "run">;
  profiles: ReferenceProfileCache;
  models: ModelCache;
  partitions: PartitionCache;
  /** Commits the write, grouped with concurrent writes to the same model. */
  writes: Pick<PredictionGroupCommit, "store">;
}

export interface RecordPredictionsInput {
  apiKey: ApiKey;
  /** The parsed body (a batch, or `{ records }` from NDJSON), not yet validated. */
  body: unknown;
  now: Date;
  idempotency: IdempotencyClaim | null;
}

export type RecordPredictionsOutcome =
  /** The batch itself is malformed (no records, too many, a bad batch-level model): 400. */
  | { kind: "invalid_batch"; issues: IssueDescription[] }
  /** Every record targets models this key may not write: 403. */
  | { kind: "forbidden"; modelSlugs: string[] }
  /** Per-record results: 202, 207 or 400 depending on what was accepted. */
  | {
      kind: "recorded";
      stored: StoredResponse;
      accepted: number;
      duplicates: number;
      rejectedCodes: string[];
    };

/** 202 when nothing was rejected, 207 when some records made it, 400 when none did. */
export function ingestStatusCode(response: IngestResponse): 202 | 207 | 400 {
  if (response.rejected.length === 0) return 202;
  return response.accepted + response.duplicates > 0 ? 207 : 400;
}

interface CheckedRecord {
  index: number;
  record: PredictionRecord;
  ts: Date;
}

export function timestampProblem(ts: Date, now: Date): string | null {
  if (ts.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return `timestamp ${ts.toISOString()} is more than 1 day in the future`;
  }
  if (ts.getTime() < now.getTime() - RETENTION_MS) {
    return `timestamp ${ts.toISOString()} is older than the 30-day retention`;
  }
  return null;
}

/**
 * Validates a `PredictionBatch` record by record and stores what passes: checks the key's model
 * allow-list and the timestamp window, resolves models and versions within the key's project,
 * counts unknown features and type mismatches as warnings, then deduplicates and writes in one
 * transaction. Only structural problems with the batch itself fail the whole request.
 */
export async function recordPredictions(
  context: RecordPredictionsContext,
  input: RecordPredictionsInput,
): Promise<RecordPredictionsOutcome> {
  const rejections = new Rejections();
  const skipped = rejectUnparsableLines(input.body, "records", rejections);
  const parsed = parsePredictionBatch(input.body);
  if (!parsed.ok) return { kind: "invalid_batch", issues: parsed.issues.map(describeIssue) };

  const checked: CheckedRecord[] = [];
  const forbiddenSlugs = new Set<string>();
  for (const result of parsed.records) {
    if (skipped.has(result.index)) continue;
    if (!result.ok) {
      rejections.add(
        result.index,
        result.predictionId,
        "schema_violation",
        summarizeIssues(result.issues),
      );
      continue;
    }
    const { record, index } = result;
    if (!apiKeyAllowsModel(input.apiKey, record.model.id)) {
      forbiddenSlugs.add(record.model.id);
      rejections.add(
        index,
        record.prediction_id,
        "forbidden_model",
        `this API key may not write model "${record.model.id}"`,
      );
      continue;
    }
    const ts = new Date(record.timestamp);
    const problem = timestampProblem(ts, input.now);
    if (problem) {
      rejections.add(index, record.prediction_id, "timestamp_out_of_range", problem);
      continue;
    }
    checked.push({ index, record, ts });
  }
  if (
    checked.length === 0 &&
    forbiddenSlugs.size > 0 &&
    rejections.every((entry) => entry.code === "forbidden_model")
  ) {
    return { kind: "forbidden", modelSlugs: [...forbiddenSlugs].sort() };
  }

  const warnings = new DataQualityWarnings();
  const prepared = await prepareRecords(
    context,
    input.apiKey.projectId,
    checked,
    rejections,
    warnings,
  );
  const profiles = new Map<string, readonly BinningProfile[]>();
  await context.gate.run(async () => {
    for (const prediction of prepared) {
      const key = `${prediction.modelId}\u0000${prediction.version}`;
      if (!profiles.has(key)) {
        profiles.set(
          key,
          await context.profiles.profilesOf(prediction.modelId, prediction.version),
        );
      }
    }
    if (prepared.length > 0) {
      let first = prepared[0]!.ts;
      let last = first;
      for (const prediction of prepared) {
        if (prediction.ts < first) first = prediction.ts;
        if (prediction.ts > last) last = prediction.ts;
      }
      await context.partitions.ensure(first, last);
    }
  });

  let rejectedCodes: string[] = [];
  let acceptedCount = 0;
  let duplicateCount = 0;
  const { response } = await context.writes.store({
    prepared,
    profilesOf: (modelId, version) => profiles.get(`${modelId}\u0000${version}`) ?? [],
    bookkeeping: {
      idempotency: input.idempotency,
      finish: (outcome) => {
        const recordRejections = rejections.copy();
        for (const { prediction, message } of outcome.conflicts) {
          recordRejections.add(prediction.index, prediction.predictionId, "conflict", message);
        }
        const list = recordRejections.toList();
        rejectedCodes = list.map((entry) => entry.code);
        acceptedCount = outcome.accepted.length;
        duplicateCount = outcome.duplicates.length;
        const body: IngestResponse = {
          accepted: acceptedCount,
          duplicates: duplicateCount,
          rejected: list,
          warnings: warnings.toList(),
        };
        return {
          response: { statusCode: ingestStatusCode(body), body },
          counts: {
            apiKeyId: input.apiKey.id,
            projectId: input.apiKey.projectId,
            accepted: acceptedCount,
            duplicates: duplicateCount,
            rejectedByCode: countByCode(rejectedCodes),
          },
        };
      },
    },
  });
  return {
    kind: "recorded",
    stored: response,
    accepted: acceptedCount,
    duplicates: duplicateCount,
    rejectedCodes,
  };
}

/**
 * Looks models up by slug inside the key's project only, so a key can never reach another
 * project's model (it sees `unknown_model`, exactly as for a model that does not exist).
 */
async function prepareRecords(
  context: RecordPredictionsContext,
  projectId: string,
  checked: readonly CheckedRecord[],
  rejections: Rejections,
  warnings: DataQualityWarnings,
): Promise<PreparedPrediction[]> {
  if (checked.length === 0) return [];
  const resolved = await context.gate.run(() =>
    context.models.resolve(
      projectId,
      checked.map(({ record }) => ({ slug: record.model.id, version: record.model.version })),
    ),
  );
  const prepared: PreparedPrediction[] = [];
  for (const { index, record, ts } of checked) {
    const { id: slug, version } = record.model;
    const model = resolved.models.get(slug);
    if (!model) {
      rejections.add(
        index,
        record.prediction_id,
        "unknown_model",
        `model "${slug}" is not registered in this project`,
      );
    } else if (!resolved.hasVersion(model.id, version)) {
      rejections.add(
        index,
        record.prediction_id,
        "unknown_version",
        `version "${version}" of model "${slug}" is not registered; register it before sending its predictions`,
      );
    } else {
      const check = warnings.check(index, model.featureSchema, record.features);
      prepared.push(preparePrediction(index, model.id, record, ts, check));
    }
  }
  return prepared;
}
