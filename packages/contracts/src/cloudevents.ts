import { z } from "zod";

import { RecordErrorCode } from "./ingest-response";

/** CloudEvent types emitted by KServe's and Seldon Core v1's payload loggers. */
export const KSERVE_REQUEST_TYPE = "org.kubeflow.serving.inference.request";
export const KSERVE_RESPONSE_TYPE = "org.kubeflow.serving.inference.response";
export const SELDON_REQUEST_TYPE = "io.seldon.serving.inference.request";
export const SELDON_RESPONSE_TYPE = "io.seldon.serving.inference.response";
export const SELDON_FEEDBACK_TYPE = "io.seldon.serving.feedback";

/**
 * A half (request or response) waits this long for its partner before it is stored alone: the
 * default of the ingest service's `INGEST_CLOUDEVENT_JOIN_WINDOW_MS` setting.
 */
export const CLOUDEVENT_JOIN_TIMEOUT_MS = 60_000;

/**
 * The answer of `POST /v1/ingest/cloudevents`: `joined` when this event completed a
 * request/response pair (its records are stored), `pending` when it waits for its partner,
 * `label` for Seldon feedback stored as labels, `ignored` for an event type Plumbline does not
 * log (all 202); `rejected` (400) when none of its rows could be stored. Rows not stored are
 * listed in `rejected` by reason, and counted under that reason in `/v1/ingest/status` and
 * `/metrics`; a `joined` answer with some rows rejected is a 207.
 */
export const CloudEventResponse = z.strictObject({
  status: z.enum(["joined", "pending", "label", "ignored", "rejected"]),
  join_id: z.string(),
  model_id: z.string(),
  records: z.int().min(0),
  duplicates: z.int().min(0),
  rejected: z
    .array(z.strictObject({ code: RecordErrorCode, count: z.int().min(1), message: z.string() }))
    .optional(),
});
export type CloudEventResponse = z.infer<typeof CloudEventResponse>;
