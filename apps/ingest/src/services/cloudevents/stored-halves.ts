import type { SqlClient } from "@plumbline/db/client";
import type postgres from "postgres";

import { asDate } from "../sql/sql-arrays";
import {
  CloudEventPayloadError,
  checkCloudEventAttributes,
  checkCloudEventData,
} from "./cloudevent-limits";
import type { CloudEventHalfData } from "./cloudevent-records";

/**
 * Why a waiting half was set aside instead of joined: `invalid_payload` when it cannot be
 * decoded (a legacy half stored before the CloudEvents limits, such as a tensor whose shape
 * does not match its data), `join_failed` when storing its records failed for another reason.
 */
export type QuarantineReason = "invalid_payload" | "join_failed";

/** A row of `cloudevent_halves` as read back (the body is JSON text). */
export interface StoredHalfRow {
  half: "request" | "response";
  attributes: Record<string, string>;
  body: string;
  received_at: Date | string;
}

/**
 * A stored half as the record builder takes it. Checked like an arriving event, because halves
 * stored by older versions were not: a bad one throws CloudEventPayloadError.
 */
export function decodeStoredHalf(row: StoredHalfRow): CloudEventHalfData {
  let body: unknown;
  try {
    body = JSON.parse(row.body);
  } catch {
    throw new CloudEventPayloadError(`the stored ${row.half} half is not JSON`);
  }
  checkCloudEventAttributes(row.attributes);
  checkCloudEventData(body);
  return { half: row.half, attributes: row.attributes, body, receivedAt: asDate(row.received_at) };
}

/** Sets the waiting halves of one exchange aside, with the reason; they are never retried. */
export async function quarantineHalves(
  tx: postgres.TransactionSql,
  where: { modelId: string; joinId: string; node: string; half?: "request" | "response" },
  reason: QuarantineReason,
): Promise<number> {
  const rows = await tx`
    update cloudevent_halves
    set quarantine_reason = ${reason}, quarantined_at = now()
    where model_id = ${where.modelId} and join_id = ${where.joinId} and node = ${where.node}
      and quarantined_at is null
      ${where.half ? tx`and half = ${where.half}` : tx``}
    returning half`;
  return rows.length;
}

/** Quarantined halves sent with one API key, by reason (for GET /v1/ingest/status). */
export async function countQuarantinedHalves(
  sql: SqlClient,
  apiKeyId: string,
): Promise<Record<string, number>> {
  const rows = await sql<{ reason: string; count: string }[]>`
    select quarantine_reason as reason, count(*) as count from cloudevent_halves
    where api_key_id = ${apiKeyId} and quarantined_at is not null
    group by quarantine_reason`;
  return Object.fromEntries(rows.map((row) => [row.reason, Number(row.count)]));
}
