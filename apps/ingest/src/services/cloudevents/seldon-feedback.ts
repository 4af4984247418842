import type {
  CloudEventResponse,
  ErrorResponse,
  IngestResponse,
  LabelRecord,
} from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";

import { HttpError } from "../../http-errors";
import type { IdempotencyClaim, StoredResponse } from "../idempotency/idempotency-ledger";
import { recordLabels } from "../labels/record-labels";
import { checkRowCount, CloudEventPayloadError } from "./cloudevent-limits";
import { outputOf } from "./inference-payloads";
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
 * Seldon feedback `{ request, response, reward, truth }` as a label batch: each truth row labels
 * the prediction `<join id>:<row>`. `observed_at` is the event's `Ce-Time` (or left to the
 * arrival time), so a resent feedback is the same label and counts as a duplicate.
 */
export function feedbackLabels(event: ReceivedCloudEvent): LabelRecord[] {
  const { joinId, slug } = seldonIdentity(event.attributes);
  if (!slug) {
    throw invalid("Missing Ce-Inferenceservicename: it names the model the event belongs to");
  }
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
  const time = new Date(event.attributes.time ?? "");
  const labels: LabelRecord[] = [];
  rows.forEach((row, index) => {
    const actual = outputOf(row, names);
    if (!actual) return;
    labels.push({
      prediction_id: `${joinId}:${index}`,
      model: { id: slug },
      label_name: "default",
      actual,
      ...(Number.isNaN(time.getTime()) ? {} : { observed_at: time.toISOString() }),
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
  const labels = feedbackLabels(input.event);
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
