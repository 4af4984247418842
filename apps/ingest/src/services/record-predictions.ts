import {
  describeIssue,
  parsePredictionBatch,
  summarizeIssues,
  type IngestResponse,
  type IssueDescription,
  type PredictionRecord,
} from "@plumbline/contracts";
import { apiKeyAllowsModel } from "@plumbline/db/api-keys";
import type { Database, SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import { modelVersions, models, type ApiKey } from "@plumbline/db/schema";
import { and, eq, inArray } from "drizzle-orm";

import { preparePrediction, type PreparedPrediction } from "./prediction-rows";
import { Rejections } from "./rejections";
import { storePredictions } from "./store-predictions";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Clock skew we tolerate: a record stamped further ahead is a client bug, not the future. */
export const MAX_FUTURE_SKEW_MS = DAY_MS;
/** Raw predictions are kept this long; older records would land in dropped partitions. */
export const RETENTION_MS = 30 * DAY_MS;

export interface RecordPredictionsContext {
  db: Database;
  sql: SqlClient;
}

export interface RecordPredictionsInput {
  apiKey: ApiKey;
  /** The parsed JSON body, not yet validated. */
  body: unknown;
  now: Date;
}

export type RecordPredictionsOutcome =
  /** The batch itself is malformed (no records, too many, a bad batch-level model): 400. */
  | { kind: "invalid_batch"; issues: IssueDescription[] }
  /** Every record targets models this key may not write: 403. */
  | { kind: "forbidden"; modelSlugs: string[] }
  /** Per-record results: 202, 207 or 400 depending on what was accepted. */
  | { kind: "recorded"; response: IngestResponse };

interface CheckedRecord {
  index: number;
  record: PredictionRecord;
  ts: Date;
}

function timestampProblem(ts: Date, now: Date): string | null {
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
 * then deduplicates and writes in one transaction. Only structural problems with the batch
 * itself fail the whole request.
 */
export async function recordPredictions(
  context: RecordPredictionsContext,
  input: RecordPredictionsInput,
): Promise<RecordPredictionsOutcome> {
  const parsed = parsePredictionBatch(input.body);
  if (!parsed.ok) return { kind: "invalid_batch", issues: parsed.issues.map(describeIssue) };

  const rejections = new Rejections();
  const checked: CheckedRecord[] = [];
  const forbiddenSlugs = new Set<string>();
  for (const result of parsed.records) {
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
  if (rejections.every((entry) => entry.code === "forbidden_model") && checked.length === 0) {
    return { kind: "forbidden", modelSlugs: [...forbiddenSlugs].sort() };
  }

  const prepared = await resolveModels(context.db, input.apiKey.projectId, checked, rejections);
  let accepted = 0;
  let duplicates = 0;
  if (prepared.length > 0) {
    const times = prepared.map((prediction) => prediction.row.ts.getTime());
    await ensurePredictionPartitions(
      context.sql,
      new Date(Math.min(...times)),
      new Date(Math.max(...times)),
    );
    const outcome = await storePredictions(context.db, prepared);
    accepted = outcome.accepted.length;
    duplicates = outcome.duplicates.length;
    for (const { prediction, message } of outcome.conflicts) {
      rejections.add(prediction.index, prediction.row.predictionId, "conflict", message);
    }
  }
  return {
    kind: "recorded",
    response: { accepted, duplicates, rejected: rejections.toList(), warnings: [] },
  };
}

/**
 * Looks models up by slug inside the key's project only, so a key can never reach another
 * project's model (it sees `unknown_model`, exactly as for a model that does not exist).
 */
async function resolveModels(
  db: Database,
  projectId: string,
  checked: readonly CheckedRecord[],
  rejections: Rejections,
): Promise<PreparedPrediction[]> {
  if (checked.length === 0) return [];
  const slugs = [...new Set(checked.map(({ record }) => record.model.id))];
  const found = await db
    .select({ id: models.id, slug: models.slug })
    .from(models)
    .where(and(eq(models.projectId, projectId), inArray(models.slug, slugs)));
  const modelIdBySlug = new Map(found.map((model) => [model.slug, model.id]));

  const versionNames = [...new Set(checked.map(({ record }) => record.model.version))];
  const registered =
    found.length === 0
      ? []
      : await db
          .select({ modelId: modelVersions.modelId, version: modelVersions.version })
          .from(modelVersions)
          .where(
            and(
              inArray(
                modelVersions.modelId,
                found.map((model) => model.id),
              ),
              inArray(modelVersions.version, versionNames),
            ),
          );
  const registeredVersions = new Set(registered.map((v) => `${v.modelId}\u0000${v.version}`));

  const prepared: PreparedPrediction[] = [];
  for (const { index, record, ts } of checked) {
    const { id: slug, version } = record.model;
    const modelId = modelIdBySlug.get(slug);
    if (!modelId) {
      rejections.add(
        index,
        record.prediction_id,
        "unknown_model",
        `model "${slug}" is not registered in this project`,
      );
    } else if (!registeredVersions.has(`${modelId}\u0000${version}`)) {
      rejections.add(
        index,
        record.prediction_id,
        "unknown_version",
        `version "${version}" of model "${slug}" is not registered; register it before sending its predictions`,
      );
    } else {
      prepared.push(preparePrediction(index, modelId, record, ts));
    }
  }
  return prepared;
}
