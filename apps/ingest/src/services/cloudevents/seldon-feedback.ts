import {
  classNameOf,
  type ClassLabels,
  type CloudEventResponse,
  type ErrorResponse,
  type IngestResponse,
  type LabelRecord,
  type PredictionOutput,
} from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";

import { HttpError } from "../../http-errors";
import type { IdempotencyClaim, StoredResponse } from "../idempotency/idempotency-ledger";
import { recordLabels } from "../labels/record-labels";
import { checkRowCount, CloudEventPayloadError, MAX_CLOUDEVENT_DEPTH } from "./cloudevent-limits";
import { cloudEventPredictionId, eventTime } from "./cloudevent-records";
import { outputOf, type OutputClasses } from "./inference-payloads";
import { loggingNode } from "./ingest-cloudevent";
import type { ReceivedCloudEvent } from "./read-cloudevent";

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_cloudevent", message);
}

/** The join id and the model slug of a Seldon event. */
function seldonIdentity(attributes: Record<string, string>) {
  return {
    joinId: attributes.requestid ?? attributes.id!,
    slug: attributes.inferenceservicename ?? attributes.modelid ?? "",
  };
}

/**
 * One row of feedback truth as a label: a one-hot row (`[0, 1, 0]`) is the class at its 1, named
 * by the truth's column names or the model's class labels; anything else reads like an output.
 */
export function truthOf(
  row: unknown,
  classes: OutputClasses,
  columns: readonly string[],
): PredictionOutput | null {
  if (Array.isArray(row)) {
    const values = row.flat(MAX_CLOUDEVENT_DEPTH);
    const ones = values.filter((value) => value === 1).length;
    const oneHot =
      values.length >= 2 && ones === 1 && values.every((value) => value === 0 || value === 1);
    if (oneHot) {
      const index = values.indexOf(1);
      const named = classNameOf(columns[index] ?? index, classes.labels);
      return { label: typeof named === "boolean" ? String(named) : named };
    }
  }
  return outputOf(row, classes, columns);
}

/**
 * Seldon feedback `{ request, response, reward, truth }` as a label batch: each truth row labels
 * the prediction `<join id>:<row>` (`<join id>:<node>:<row>` for the node in `Ce-Modelid`), one-hot
 * truth and class indices named by the model's class labels. `observed_at` is the event's
 * `Ce-Time` to the microsecond (or left to the arrival time), so a resent feedback is the same
 * label and counts as a duplicate.
 */
export function feedbackLabels(
  event: ReceivedCloudEvent,
  classes: OutputClasses = { labels: [], positive: null },
): LabelRecord[] {
  const { joinId, slug } = seldonIdentity(event.attributes);
  if (!slug) {
    throw invalid("Missing Ce-Inferenceservicename: it names the model the event belongs to");
  }
  const node = loggingNode("seldon", event.attributes);
  const data = event.data;
  const body = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const truth = body.truth as { data?: { names?: unknown[]; ndarray?: unknown[] } } | undefined;
  const names = Array.isArray(truth?.data?.names) ? truth.data.names.map(String) : [];
  const rows = Array.isArray(truth?.data?.ndarray) ? truth.data.ndarray : [];
  try {
    checkRowCount("truth.data.ndarray", rows.length);
  } catch (error) {
    if (error instanceof CloudEventPayloadError) throw invalid(`The CloudEvent's ${error.message}`);
    throw error;
  }
  const reward = typeof body.reward === "number" ? body.reward : undefined;
  const observedAt = eventTime(event.attributes);
  const labels: LabelRecord[] = [];
  rows.forEach((row, index) => {
    const actual = truthOf(row, classes, names);
    if (!actual) return;
    labels.push({
      prediction_id: cloudEventPredictionId(joinId, node, index),
      model: { id: slug },
      label_name: "default",
      actual,
      ...(observedAt === null ? {} : { observed_at: observedAt }),
      source: "customer_feedback",
      weight: 1,
      revision: 0,
      ...(reward === undefined ? {} : { metadata: { reward } }),
    });
  });
  if (labels.length === 0) {
    throw invalid("Seldon feedback without a `truth.data.ndarray` row to store as a label");
  }
  return labels;
}

/** The class labels feedback for a model is named by: its newest version's, else the model's. */
async function feedbackClasses(
  sql: SqlClient,
  projectId: string,
  slug: string,
): Promise<OutputClasses> {
  const [row] = await sql<{ class_labels: ClassLabels | null }[]>`
    select coalesce(
      (select v.class_labels from model_versions v
       where v.model_id = m.id and v.class_labels is not null
       order by v.created_at desc, v.version desc limit 1),
      m.class_labels) as class_labels
    from models m where m.project_id = ${projectId} and m.slug = ${slug}`;
  const classes = row?.class_labels;
  return classes
    ? { labels: classes.labels, positive: classes.positive ?? null }
    : { labels: [], positive: null };
}

/**
 * The answer to a feedback event from what the label write stored (first time or replayed):
 * 202 `label` with the counts, or the label rejections as a 400 when nothing was stored.
 */
export function feedbackAnswer(
  event: ReceivedCloudEvent,
  stored: StoredResponse,
): { statusCode: number; body: CloudEventResponse | ErrorResponse } {
  const { joinId, slug } = seldonIdentity(event.attributes);
  const result = stored.body as IngestResponse;
  if (result.accepted + result.duplicates === 0 && result.rejected.length > 0) {
    return {
      statusCode: 400,
      body: {
        error: "invalid_cloudevent",
        message: `The feedback's labels were rejected: ${result.rejected
          .map((entry) => entry.message)
          .join("; ")}`,
      },
    };
  }
  return {
    statusCode: 202,
    body: {
      status: "label",
      join_id: joinId,
      model_id: slug,
      records: result.accepted,
      duplicates: result.duplicates,
    },
  };
}

/**
 * Stores Seldon feedback through the label write path of `POST /v1/labels` (validation, the
 * model allow-list, dedup by revision and payload hash, the Idempotency-Key ledger, counters).
 */
export async function recordSeldonFeedback(
  sql: SqlClient,
  input: {
    apiKey: ApiKey;
    event: ReceivedCloudEvent;
    now: Date;
    idempotency: IdempotencyClaim | null;
  },
): Promise<StoredResponse> {
  const { slug } = seldonIdentity(input.event.attributes);
  const classes = slug
    ? await feedbackClasses(sql, input.apiKey.projectId, slug)
    : { labels: [], positive: null };
  const labels = feedbackLabels(input.event, classes);
  const outcome = await recordLabels(sql, {
    apiKey: input.apiKey,
    body: { labels },
    now: input.now,
    idempotency: input.idempotency,
  });
  switch (outcome.kind) {
    case "invalid_batch":
      throw invalid(
        `The feedback is malformed: ${outcome.issues
          .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
          .join("; ")}`,
      );
    case "forbidden":
      throw new HttpError(
        403,
        "forbidden",
        `This API key may not access model ${outcome.modelSlugs.map((slug) => `"${slug}"`).join(", ")}`,
      );
    case "recorded":
      return outcome.stored;
  }
}
