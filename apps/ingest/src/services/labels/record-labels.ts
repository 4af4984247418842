import {
  describeIssue,
  microsecondTimestamp,
  parseLabelBatch,
  summarizeIssues,
  type IngestResponse,
  type IssueDescription,
  type LabelRecord,
} from "@plumbline/contracts";
import { apiKeyAllowsModel } from "@plumbline/db/api-keys";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey, PerformanceContribution } from "@plumbline/db/schema";
import type postgres from "postgres";

import { rejectUnparsableLines } from "../../body/request-body";
import { DataQualityWarnings } from "../predictions/feature-schema-check";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  type IdempotencyClaim,
  type StoredResponse,
} from "../idempotency/idempotency-ledger";
import { addToKeyCounters, countByCode } from "../status/key-counters";
import { labelJoinOf, recordLabelJoins, type JoinedLabelRow } from "../rollups/label-rollups";
import { resolveModelVersions } from "../caches/model-lookup";
import { canonicalJson, payloadHash } from "../idempotency/payload-hash";
import type { JoinedLabel } from "../rollups/performance/record-performance";
import { ingestStatusCode } from "../predictions/record-predictions";
import { Rejections } from "../status/rejections";
import { asDate, textArray } from "../sql/sql-arrays";

export interface RecordLabelsInput {
  apiKey: ApiKey;
  body: unknown;
  now: Date;
  idempotency: IdempotencyClaim | null;
}

export type RecordLabelsOutcome =
  | { kind: "invalid_batch"; issues: IssueDescription[] }
  | { kind: "forbidden"; modelSlugs: string[] }
  | {
      kind: "recorded";
      stored: StoredResponse;
      accepted: number;
      duplicates: number;
      rejectedCodes: string[];
    };

/** A label ready to upsert. */
export interface PreparedLabel {
  index: number;
  modelId: string;
  modelSlug: string;
  predictionId: string;
  labelName: string;
  version: string | null;
  actual: string;
  observedAt: Date;
  /** `observedAt` as stored: the label's own text to the microsecond when it sent one. */
  observedAtText: string;
  source: string | null;
  annotator: string | null;
  weight: number;
  revision: number;
  metadata: string | null;
  hash: string;
}

function labelKey(label: Pick<PreparedLabel, "modelId" | "predictionId" | "labelName">) {
  return `${label.modelId}\u0000${label.predictionId}\u0000${label.labelName}`;
}

export function prepareLabel(
  index: number,
  modelId: string,
  label: LabelRecord,
  now: Date,
): PreparedLabel {
  const prepared = {
    index,
    modelId,
    modelSlug: label.model.id,
    predictionId: label.prediction_id,
    labelName: label.label_name,
    version: label.model.version ?? null,
    actual: canonicalJson(label.actual),
    observedAt: label.observed_at ? new Date(label.observed_at) : now,
    observedAtText:
      (label.observed_at ? microsecondTimestamp(label.observed_at) : null) ?? now.toISOString(),
    source: label.source ?? null,
    annotator: label.annotator ?? null,
    weight: label.weight,
    revision: label.revision,
    metadata: label.metadata ? canonicalJson(label.metadata) : null,
  };
  // observed_at defaults to the arrival time, so a retried label without one must not
  // look different: it is hashed as sent.
  const hash = payloadHash({
    ...prepared,
    index: undefined,
    observedAt: label.observed_at ?? null,
    observedAtText: undefined,
  });
  return { ...prepared, hash };
}

/**
 * Upserts delayed ground truth by (model, prediction id, label name), the higher revision
 * winning, and joins each label to its prediction when that is already stored (otherwise the
 * label waits, and the prediction's arrival joins it). One transaction, like predictions.
 */
export async function recordLabels(
  sql: SqlClient,
  input: RecordLabelsInput,
): Promise<RecordLabelsOutcome> {
  const rejections = new Rejections();
  const skipped = rejectUnparsableLines(input.body, "labels", rejections);
  const parsed = parseLabelBatch(input.body);
  if (!parsed.ok) return { kind: "invalid_batch", issues: parsed.issues.map(describeIssue) };
  const forbidden = new Set<string>();
  const valid: { index: number; label: LabelRecord }[] = [];
  for (const result of parsed.labels) {
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
    const { label, index } = result;
    if (!apiKeyAllowsModel(input.apiKey, label.model.id)) {
      forbidden.add(label.model.id);
      rejections.add(
        index,
        label.prediction_id,
        "forbidden_model",
        `this API key may not write model "${label.model.id}"`,
      );
    } else valid.push({ index, label });
  }
  if (
    valid.length === 0 &&
    forbidden.size > 0 &&
    rejections.every((entry) => entry.code === "forbidden_model")
  ) {
    return { kind: "forbidden", modelSlugs: [...forbidden].sort() };
  }

  const prepared: PreparedLabel[] = [];
  if (valid.length > 0) {
    const resolved = await resolveModelVersions(
      sql,
      input.apiKey.projectId,
      valid.map(({ label }) => ({ slug: label.model.id, version: label.model.version })),
    );
    for (const { index, label } of valid) {
      const model = resolved.models.get(label.model.id);
      if (!model) {
        rejections.add(
          index,
          label.prediction_id,
          "unknown_model",
          `model "${label.model.id}" is not registered in this project`,
        );
      } else if (
        label.model.version !== undefined &&
        !resolved.hasVersion(model.id, label.model.version)
      ) {
        rejections.add(
          index,
          label.prediction_id,
          "unknown_version",
          `version "${label.model.version}" of model "${label.model.id}" is not registered`,
        );
      } else prepared.push(prepareLabel(index, model.id, label, input.now));
    }
  }

  let rejectedCodes: string[] = [];
  let accepted = 0;
  let duplicates = 0;
  const stored = await sql.begin(async (tx) => {
    if (input.idempotency) await claimIdempotencyKey(tx, input.idempotency);
    const outcome = await upsertLabels(tx, prepared);
    const recordRejections = rejections.copy();
    for (const { label, message } of outcome.conflicts) {
      recordRejections.add(label.index, label.predictionId, "conflict", message);
    }
    const warnings = new DataQualityWarnings();
    for (const label of outcome.stale) {
      warnings.add(
        "stale_revision",
        `label "${label.labelName}" of prediction_id "${label.predictionId}"`,
        label.index,
        "a higher revision is stored",
      );
    }
    const pending = outcome.applied.length - outcome.joined - outcome.alreadyJoined;
    if (pending > 0) {
      warnings.add(
        "label_pending",
        `${pending} labels wait for their predictions`,
        outcome.applied[0]!.index,
        "joined when they arrive (within 30 days)",
      );
    }
    const list = recordRejections.toList();
    rejectedCodes = list.map((entry) => entry.code);
    accepted = outcome.applied.length;
    duplicates = outcome.duplicates.length + outcome.stale.length;
    const body: IngestResponse = {
      accepted,
      duplicates,
      rejected: list,
      warnings: warnings.toList(),
    };
    const response = { statusCode: ingestStatusCode(body), body };
    await addToKeyCounters(tx, {
      apiKeyId: input.apiKey.id,
      projectId: input.apiKey.projectId,
      accepted,
      duplicates,
      rejectedByCode: countByCode(rejectedCodes),
    });
    if (input.idempotency) await completeIdempotencyKey(tx, input.idempotency, response);
    return response;
  });
  return { kind: "recorded", stored, accepted, duplicates, rejectedCodes };
}

interface UpsertOutcome {
  applied: PreparedLabel[];
  duplicates: PreparedLabel[];
  stale: PreparedLabel[];
  conflicts: { label: PreparedLabel; message: string }[];
  /** Applied labels that met their prediction in this transaction. */
  joined: number;
  /** Applied labels (new revisions) whose prediction had been joined before. */
  alreadyJoined: number;
}

/**
 * The upsert itself, shared with Seldon feedback. Within one batch the last label of a key with
 * the highest revision is the one upserted; the others count as duplicates.
 */
export async function upsertLabels(
  tx: postgres.TransactionSql,
  prepared: readonly PreparedLabel[],
): Promise<UpsertOutcome> {
  const outcome: UpsertOutcome = {
    applied: [],
    duplicates: [],
    stale: [],
    conflicts: [],
    joined: 0,
    alreadyJoined: 0,
  };
  if (prepared.length === 0) return outcome;
  const winners = new Map<string, PreparedLabel>();
  for (const label of prepared) {
    const key = labelKey(label);
    const current = winners.get(key);
    if (!current || label.revision >= current.revision) {
      if (current) outcome.duplicates.push(current);
      winners.set(key, label);
    } else outcome.duplicates.push(label);
  }
  const rows = [...winners.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, label]) => label);
  // The update leaves `performance_contribution` and `prediction_ts` alone, so RETURNING gives
  // what the replaced revision had counted, read under the row's lock.
  const applied = await tx<
    {
      prediction_id: string;
      label_name: string;
      model_id: string;
      already_joined: boolean;
      prediction_ts: Date | string | null;
      performance_contribution: PerformanceContribution | null;
    }[]
  >`
    insert into labels as l (model_id, prediction_id, label_name, version, actual, observed_at,
      source, annotator, weight, revision, metadata, payload_hash)
    select model_id, prediction_id, label_name, version, actual::jsonb, observed_at, source,
      annotator, weight, revision, metadata::jsonb, payload_hash
    from unnest(
      ${textArray(
        tx,
        rows.map((r) => r.modelId),
      )}::uuid[], ${textArray(
        tx,
        rows.map((r) => r.predictionId),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.labelName),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.version),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.actual),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.observedAtText),
      )}::timestamptz[],
      ${textArray(
        tx,
        rows.map((r) => r.source),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.annotator),
      )}::text[],
      ${textArray(
        tx,
        rows.map((r) => r.weight),
      )}::float8[], ${textArray(
        tx,
        rows.map((r) => r.revision),
      )}::int[],
      ${textArray(
        tx,
        rows.map((r) => r.metadata),
      )}::text[], ${textArray(
        tx,
        rows.map((r) => r.hash),
      )}::text[]
    ) as t(model_id, prediction_id, label_name, version, actual, observed_at, source, annotator,
      weight, revision, metadata, payload_hash)
    on conflict (model_id, prediction_id, label_name) do update set
      version = excluded.version, actual = excluded.actual, observed_at = excluded.observed_at,
      source = excluded.source, annotator = excluded.annotator, weight = excluded.weight,
      revision = excluded.revision, metadata = excluded.metadata,
      payload_hash = excluded.payload_hash, updated_at = now(),
      delay_ms = extract(epoch from (excluded.observed_at - l.prediction_ts)) * 1000
    where excluded.revision > l.revision
    returning model_id, prediction_id, label_name, joined_at is not null as already_joined,
      prediction_ts, performance_contribution`;
  outcome.alreadyJoined = applied.filter((row) => row.already_joined).length;
  const appliedKeys = new Set(
    applied.map((row) => `${row.model_id}\u0000${row.prediction_id}\u0000${row.label_name}`),
  );
  const notApplied = rows.filter((label) => !appliedKeys.has(labelKey(label)));
  outcome.applied = rows.filter((label) => appliedKeys.has(labelKey(label)));
  if (notApplied.length > 0) {
    const stored = await tx<
      {
        model_id: string;
        prediction_id: string;
        label_name: string;
        revision: number;
        payload_hash: string;
      }[]
    >`
      select l.model_id, l.prediction_id, l.label_name, l.revision, l.payload_hash
      from labels l join unnest(
        ${textArray(
          tx,
          notApplied.map((r) => r.modelId),
        )}::uuid[], ${textArray(
          tx,
          notApplied.map((r) => r.predictionId),
        )}::text[],
        ${textArray(
          tx,
          notApplied.map((r) => r.labelName),
        )}::text[]) as t(model_id, prediction_id, label_name)
      on l.model_id = t.model_id and l.prediction_id = t.prediction_id and l.label_name = t.label_name`;
    const byKey = new Map(
      stored.map((row) => [
        `${row.model_id}\u0000${row.prediction_id}\u0000${row.label_name}`,
        row,
      ]),
    );
    for (const label of notApplied) {
      const row = byKey.get(labelKey(label));
      if (!row || row.payload_hash === label.hash) outcome.duplicates.push(label);
      else if (row.revision > label.revision) outcome.stale.push(label);
      else {
        outcome.conflicts.push({
          label,
          message: `label "${label.labelName}" of prediction_id "${label.predictionId}" is already stored at revision ${row.revision} with a different payload; send a higher revision to replace it`,
        });
      }
    }
  }
  outcome.joined = await joinLabelsToStoredPredictions(
    tx,
    outcome.applied,
    revisedJoinedLabels(applied),
  );
  return outcome;
}

/**
 * Joins just-upserted labels to predictions already stored: a label with a version to that
 * version's prediction, one without to the earliest prediction of any version. Probes only
 * primary keys (model_versions, prediction_keys). `revised` (already joined labels that got a
 * new revision) have their performance contributions replaced in the same write.
 */
async function joinLabelsToStoredPredictions(
  tx: postgres.TransactionSql,
  labels: readonly PreparedLabel[],
  revised: readonly JoinedLabel[],
): Promise<number> {
  if (labels.length === 0) return 0;
  const joined = await tx<JoinedLabelRow[]>`
    with candidates as (
      select l.model_id, l.prediction_id, l.label_name, k.version, k.ts,
        row_number() over (partition by l.model_id, l.prediction_id, l.label_name order by k.ts, k.version) as rank
      from unnest(
        ${textArray(
          tx,
          labels.map((r) => r.modelId),
        )}::uuid[], ${textArray(
          tx,
          labels.map((r) => r.predictionId),
        )}::text[],
        ${textArray(
          tx,
          labels.map((r) => r.labelName),
        )}::text[]) as t(model_id, prediction_id, label_name)
      join labels l on l.model_id = t.model_id and l.prediction_id = t.prediction_id and l.label_name = t.label_name
      join model_versions v on v.model_id = l.model_id and (l.version is null or v.version = l.version)
      join prediction_keys k on k.model_id = l.model_id and k.version = v.version and k.prediction_id = l.prediction_id
      where l.joined_at is null
    )
    update labels l
    set joined_at = now(), prediction_ts = c.ts,
        delay_ms = extract(epoch from (l.observed_at - c.ts)) * 1000
    from candidates c
    where c.rank = 1 and l.model_id = c.model_id and l.prediction_id = c.prediction_id and l.label_name = c.label_name
    returning l.model_id, l.prediction_id, l.label_name, c.version, c.ts, l.delay_ms`;
  await recordLabelJoins(tx, joined.map(labelJoinOf), revised);
  return joined.length;
}

/**
 * Revisions of labels already joined to their prediction: their previous contribution to the
 * performance rollups is replaced by the new one. A label joined before those rollups existed
 * has no contribution to replace and stays out of them: performance counts start with the
 * labels joined since.
 */
function revisedJoinedLabels(
  applied: readonly {
    model_id: string;
    prediction_id: string;
    label_name: string;
    prediction_ts: Date | string | null;
    performance_contribution: PerformanceContribution | null;
  }[],
): JoinedLabel[] {
  const revised: JoinedLabel[] = [];
  for (const row of applied) {
    const previous = row.performance_contribution;
    if (previous === null || row.prediction_ts === null) continue;
    revised.push({
      modelId: row.model_id,
      predictionId: row.prediction_id,
      labelName: row.label_name,
      version: previous.version,
      predictionTs: asDate(row.prediction_ts),
      previous,
    });
  }
  return revised;
}
