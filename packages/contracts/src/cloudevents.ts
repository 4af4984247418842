import { z } from "zod";

/** CloudEvent types emitted by KServe's and Seldon Core v1's payload loggers. */
export const KSERVE_REQUEST_TYPE = "org.kubeflow.serving.inference.request";
export const KSERVE_RESPONSE_TYPE = "org.kubeflow.serving.inference.response";
export const SELDON_REQUEST_TYPE = "io.seldon.serving.inference.request";
export const SELDON_RESPONSE_TYPE = "io.seldon.serving.inference.response";
export const SELDON_FEEDBACK_TYPE = "io.seldon.serving.feedback";

/** A half (request or response) waits this long for its partner before it is stored alone. */
export const CLOUDEVENT_JOIN_TIMEOUT_MS = 60_000;

/**
 * The answer of `POST /v1/ingest/cloudevents` (202): `joined` when this event completed a
 * request/response pair (its records are stored), `pending` when it waits for its partner,
 * `label` for Seldon feedback stored as labels, `ignored` for an event type Plumbline does not
 * log.
 */
export const CloudEventResponse = z.strictObject({
  status: z.enum(["joined", "pending", "label", "ignored"]),
  join_id: z.string(),
  model_id: z.string(),
  records: z.int().min(0),
  duplicates: z.int().min(0),
});
export type CloudEventResponse = z.infer<typeof CloudEventResponse>;
