import { z } from "zod";

/**
 * The answer of `GET /v1/ingest/status`: what the presenting key has sent, counted in the
 * database in the same transaction as the writes (so the counters are exact across instances).
 */
export const IngestStatusResponse = z.strictObject({
  key: z.strictObject({
    key_id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    model_allow_list: z.array(z.string()).nullable(),
    expires_at: z.string().nullable(),
  }),
  /** Records, labels and events accepted (stored). */
  accepted: z.int().min(0),
  /** Records and labels rejected, in total and by code. */
  rejected: z.int().min(0),
  rejected_by_code: z.record(z.string(), z.int().min(0)),
  /** Records and labels that were already stored (safe retries). */
  duplicates: z.int().min(0),
  /** Last request that reached the write path; null before the first. */
  last_seen_at: z.string().nullable(),
  /**
   * CloudEvent halves sent with this key that could not be decoded or joined, by reason
   * (`invalid_payload`, `join_failed`): set aside, never retried (docs/ingest-api.md, "CloudEvents
   * limits").
   */
  cloudevent_halves_quarantined: z.record(z.string(), z.int().min(0)),
});
export type IngestStatusResponse = z.infer<typeof IngestStatusResponse>;
