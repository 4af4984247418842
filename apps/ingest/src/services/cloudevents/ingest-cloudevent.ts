import {
  KSERVE_REQUEST_TYPE,
  KSERVE_RESPONSE_TYPE,
  SELDON_FEEDBACK_TYPE,
  SELDON_REQUEST_TYPE,
  SELDON_RESPONSE_TYPE,
  type CloudEventResponse,
  type RecordErrorCode,
} from "@plumbline/contracts";
import type { Database, SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import type postgres from "postgres";

import { HttpError } from "../../http-errors";
import { requireModelAllowed } from "../../auth/api-key-guard";
import type { PartitionCache } from "../caches/partition-cache";
import { DataQualityWarnings } from "../predictions/feature-schema-check";
import { addToKeyCounters } from "../status/key-counters";
import { timestampProblem } from "../predictions/record-predictions";
import { preparePrediction } from "../predictions/prediction-rows";
import type { ReferenceProfileCache } from "../reference-profiles/reference-profile-cache";
import { storePredictionsInTransaction } from "../predictions/store-predictions";
import { CloudEventPayloadError } from "./cloudevent-limits";
import {
  buildCloudEventRecords,
  eventTime,
  type BuiltRecords,
  type RowRejection,
} from "./cloudevent-records";
import type { ResolvedCloudEventModel } from "./cloudevent-model";
import { resolveOnFirstSight } from "./register-on-first-sight";
import { requestRows, responseRows } from "./inference-payloads";
import type { ReceivedCloudEvent } from "./read-cloudevent";
import {
  decodeStoredHalf,
  quarantineHalves,
  type QuarantineReason,
  type StoredHalfRow,
} from "./stored-halves";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CloudEventContext {
  sql: SqlClient;
  /** For registering models and versions on first sight (audited through Drizzle). */
  db: Database;
  profiles: ReferenceProfileCache;
  /** The partitions this process has made sure of (shared with POST /v1/predictions). */
  partitions: PartitionCache;
  /** Told when halves are quarantined (counted in /metrics). */
  onQuarantine?: (reason: QuarantineReason, halves: number) => void;
}

/** Serialises everything about one exchange (its halves, the join, the sweep). */
export async function lockExchange(
  tx: postgres.TransactionSql,
  modelId: string,
  joinId: string,
  node: string,
) {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`${modelId}:${joinId}:${node}`}, 0))`;
}

/** The rejections of an exchange as counts by code (the key's counters, /metrics). */
function rejectedByCode(rejected: readonly RowRejection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of rejected) counts[entry.code] = (counts[entry.code] ?? 0) + entry.count;
  return counts;
}

/**
 * Stores records built from CloudEvents in the caller's transaction, as a prediction batch
 * would be: dedup, COPY, rollups (partial halves counted), label joins, and the key's counters,
 * rows that did not become records included under their reason. Returns the store's outcome
 * with those rejections by code, conflicts included (`rejectedByCode`).
 */
export async function storeCloudEventRecords(
  tx: postgres.TransactionSql,
  context: Pick<CloudEventContext, "profiles">,
  model: ResolvedCloudEventModel,
  built: BuiltRecords,
  apiKey: Pick<ApiKey, "id" | "projectId"> | null,
) {
  const warnings = new DataQualityWarnings();
  const prepared = built.records.map((record, index) =>
    preparePrediction(
      index,
      model.id,
      record,
      new Date(record.timestamp),
      warnings.check(index, model.featureSchema as never, record.features),
      record.metadata?.partial !== undefined,
    ),
  );
  const versions = [...new Set(prepared.map((p) => p.version))];
  const profiles = new Map(
    await Promise.all(
      versions.map(async (v) => [v, await context.profiles.profilesOf(model.id, v)] as const),
    ),
  );
  const rejected = rejectedByCode(built.rejected);
  const countsWith = (conflicts: number) =>
    conflicts > 0 ? { ...rejected, conflict: (rejected.conflict ?? 0) + conflicts } : rejected;
  if (prepared.length === 0) {
    if (apiKey && built.rejected.length > 0) {
      await addToKeyCounters(tx, {
        apiKeyId: apiKey.id,
        projectId: apiKey.projectId,
        accepted: 0,
        duplicates: 0,
        rejectedByCode: rejected,
      });
    }
    return { accepted: [], duplicates: [], conflicts: [], rejectedByCode: rejected };
  }
  const { outcome } = await storePredictionsInTransaction(
    tx,
    prepared,
    (_id, v) => profiles.get(v) ?? [],
    {
      idempotency: null,
      finish: (result) => ({
        response: { statusCode: 202, body: null },
        counts: apiKey
          ? {
              apiKeyId: apiKey.id,
              projectId: apiKey.projectId,
              accepted: result.accepted.length,
              duplicates: result.duplicates.length,
              rejectedByCode: countsWith(result.conflicts.length),
            }
          : null,
      }),
    },
  );
  return { ...outcome, rejectedByCode: countsWith(outcome.conflicts.length) };
}

/** What a CloudEvent type logs, or null for a type Plumbline does not log. */
export function cloudEventKind(type: string) {
  switch (type) {
    case KSERVE_REQUEST_TYPE:
      return { family: "kserve", half: "request" } as const;
    case KSERVE_RESPONSE_TYPE:
      return { family: "kserve", half: "response" } as const;
    case SELDON_REQUEST_TYPE:
      return { family: "seldon", half: "request" } as const;
    case SELDON_RESPONSE_TYPE:
      return { family: "seldon", half: "response" } as const;
    case SELDON_FEEDBACK_TYPE:
      return { family: "seldon", half: "feedback" } as const;
    default:
      return null;
  }
}

/** The graph node that logged an event: Seldon's `Ce-Modelid`; KServe logs one node per id. */
export function loggingNode(family: "kserve" | "seldon", attributes: Record<string, string>) {
  return family === "seldon" ? (attributes.modelid ?? "").slice(0, 256) : "";
}

/**
 * Ingests one KServe / Seldon payload-logging event: the request or the response of an
 * inference (joined by `Ce-Id` for KServe, `Ce-Requestid` and the logging node for Seldon, in
 * either order), or Seldon feedback (stored as labels). A half waits in `cloudevent_halves` for
 * its partner; the periodic sweep stores it alone after the join window. Rows that cannot be
 * stored (an event outside the accepted time window, an unknown model) are never dropped
 * silently: they are counted under their reason and the answer lists them.
 */
export async function ingestCloudEvent(
  context: CloudEventContext,
  input: { apiKey: ApiKey; event: ReceivedCloudEvent; now: Date },
): Promise<CloudEventResponse> {
  const { attributes, data } = input.event;
  const kind = cloudEventKind(attributes.type!);
  const joinId = (kind?.family === "seldon" ? attributes.requestid : undefined) ?? attributes.id!;
  const slug = attributes.inferenceservicename ?? attributes.modelid ?? "";
  if (!kind)
    return { status: "ignored", join_id: joinId, model_id: slug, records: 0, duplicates: 0 };
  if (kind.half === "feedback") {
    throw new Error("Seldon feedback is recorded as labels by recordSeldonFeedback");
  }
  const node = loggingNode(kind.family, attributes);
  // Decoded once now, so that a payload over the limits is refused before it is stored.
  let rows: number;
  let reportedVersion: string | null = null;
  try {
    if (kind.half === "request") rows = requestRows(data, [])?.rows.length ?? 0;
    else {
      const outputs = responseRows(data);
      rows = outputs?.outputs.length ?? 0;
      reportedVersion = outputs?.modelVersion ?? null;
    }
  } catch (error) {
    if (error instanceof CloudEventPayloadError) {
      throw new HttpError(400, "invalid_cloudevent", `The CloudEvent's ${error.message}`);
    }
    throw error;
  }
  if (!slug) {
    throw new HttpError(
      400,
      "invalid_cloudevent",
      "Missing Ce-Inferenceservicename: it names the model the event belongs to",
    );
  }
  requireModelAllowed(input.apiKey, slug);
  const rejectWith = async (code: RecordErrorCode, message: string) => {
    const count = Math.max(1, rows);
    await addToKeyCounters(context.sql, {
      apiKeyId: input.apiKey.id,
      projectId: input.apiKey.projectId,
      accepted: 0,
      duplicates: 0,
      rejectedByCode: { [code]: count },
    });
    return {
      status: "rejected",
      join_id: joinId,
      model_id: slug,
      records: 0,
      duplicates: 0,
      rejected: [{ code, count, message }],
    } satisfies CloudEventResponse;
  };

  // An event outside the accepted window is refused now: its half would only be dropped later.
  const time = eventTime(attributes);
  const timeProblem = time === null ? null : timestampProblem(new Date(time), input.now);
  if (timeProblem !== null) return rejectWith("timestamp_out_of_range", `Ce-Time: ${timeProblem}`);

  const model = await resolveOnFirstSight(context, input.apiKey, slug, reportedVersion);
  if (!model) {
    return rejectWith(
      "unknown_model",
      `model "${slug}" (Ce-Inferenceservicename) is not registered in this project; register it ` +
        "(plumbline model register) or let the project register models on first sight",
    );
  }

  const around = time === null ? input.now : new Date(time);
  await context.partitions.ensure(
    new Date(around.getTime() - DAY_MS),
    new Date(around.getTime() + DAY_MS),
  );
  await context.partitions.ensure(input.now, input.now);

  return context.sql.begin(async (tx) => {
    await lockExchange(tx, model.id, joinId, node);
    // A half resent after its earlier copy was quarantined replaces that copy.
    await tx`
      insert into cloudevent_halves (model_id, join_id, node, half, api_key_id, attributes, body)
      values (${model.id}, ${joinId}, ${node}, ${kind.half}, ${input.apiKey.id},
              ${JSON.stringify(attributes)}::jsonb, ${JSON.stringify(data)})
      on conflict (model_id, join_id, node, half) do update
      set api_key_id = excluded.api_key_id, attributes = excluded.attributes,
        body = excluded.body, received_at = now(), quarantine_reason = null,
        quarantined_at = null
      where cloudevent_halves.quarantined_at is not null`;
    const halves = await tx<StoredHalfRow[]>`
      select half, attributes, body, received_at from cloudevent_halves
      where model_id = ${model.id} and join_id = ${joinId} and node = ${node}
        and quarantined_at is null`;
    const pending = {
      status: "pending",
      join_id: joinId,
      model_id: slug,
      records: 0,
      duplicates: 0,
    } satisfies CloudEventResponse;
    if (halves.length < 2) return pending;
    const decoded = (name: "request" | "response") => {
      const row = halves.find((h) => h.half === name);
      return row ? decodeStoredHalf(row) : null;
    };
    let built: BuiltRecords;
    try {
      built = buildCloudEventRecords(
        { joinId, node },
        decoded("request"),
        decoded("response"),
        model,
        input.now,
      );
    } catch (error) {
      if (!(error instanceof CloudEventPayloadError)) throw error;
      // This event passed the limits, so its partner is the half that cannot be decoded (a
      // legacy one): it is set aside, and this event waits for a partner of its own.
      const partner = kind.half === "request" ? "response" : "request";
      await quarantineHalves(
        tx,
        { modelId: model.id, joinId, node, half: partner },
        "invalid_payload",
      );
      context.onQuarantine?.("invalid_payload", 1);
      return pending;
    }
    await tx`
      delete from cloudevent_halves
      where model_id = ${model.id} and join_id = ${joinId} and node = ${node}
        and quarantined_at is null`;
    const outcome = await storeCloudEventRecords(tx, context, model, built, input.apiKey);
    const stored = outcome.accepted.length + outcome.duplicates.length;
    const rejected = [
      ...built.rejected,
      ...(outcome.conflicts.length > 0
        ? [
            {
              code: "conflict" as const,
              count: outcome.conflicts.length,
              message: outcome.conflicts[0]!.message,
            },
          ]
        : []),
    ];
    return {
      status: stored === 0 && rejected.length > 0 ? "rejected" : "joined",
      join_id: joinId,
      model_id: slug,
      records: outcome.accepted.length,
      duplicates: outcome.duplicates.length,
      ...(rejected.length > 0 ? { rejected } : {}),
    } satisfies CloudEventResponse;
  });
}
