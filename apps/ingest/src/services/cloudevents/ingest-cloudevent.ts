import {
  KSERVE_REQUEST_TYPE,
  KSERVE_RESPONSE_TYPE,
  SELDON_FEEDBACK_TYPE,
  SELDON_REQUEST_TYPE,
  SELDON_RESPONSE_TYPE,
  type CloudEventResponse,
} from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import { ensurePredictionPartitions } from "@plumbline/db/partitions";
import type { ApiKey } from "@plumbline/db/schema";
import type postgres from "postgres";

import { HttpError } from "../../http-errors";
import { requireModelAllowed } from "../../auth/api-key-guard";
import { DataQualityWarnings } from "../predictions/feature-schema-check";
import { countByCode } from "../status/key-counters";
import { preparePrediction } from "../predictions/prediction-rows";
import type { ReferenceProfileCache } from "../reference-profiles/reference-profile-cache";
import { storePredictionsInTransaction } from "../predictions/store-predictions";
import { CloudEventPayloadError } from "./cloudevent-limits";
import { buildCloudEventRecords, type CloudEventModel } from "./cloudevent-records";
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
  profiles: ReferenceProfileCache;
  /** Told when halves are quarantined (counted in /metrics). */
  onQuarantine?: (reason: QuarantineReason, halves: number) => void;
}

export interface ResolvedCloudEventModel extends CloudEventModel {
  id: string;
  featureSchema: Record<string, { type: string; position?: number }>;
}

/** The model a CloudEvent names, with its versions (newest first), within one project. */
export async function cloudEventModel(
  sql: SqlClient | postgres.TransactionSql,
  where: { projectId: string; slug: string } | { modelIds: string[] },
): Promise<ResolvedCloudEventModel[]> {
  const rows = await sql<
    {
      id: string;
      slug: string;
      feature_schema: Record<string, { type: string; position?: number }>;
      versions: string[] | null;
    }[]
  >`
    select m.id, m.slug, m.feature_schema,
      (select array_agg(v.version order by v.created_at desc, v.version desc)
       from model_versions v where v.model_id = m.id) as versions
    from models m
    where ${"slug" in where ? sql`m.project_id = ${where.projectId} and m.slug = ${where.slug}` : sql`m.id = any(${sql.array(where.modelIds, 25)}::uuid[])`}`;
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    featureSchema: row.feature_schema,
    featureNames: positionalFeatureNames(row.feature_schema),
    versions: row.versions ?? [],
  }));
}

/** Feature names by their registered `position`; unpositioned payload columns become x0, x1, ... */
function positionalFeatureNames(schema: Record<string, { position?: number }>): string[] {
  const names: string[] = [];
  for (const [name, entry] of Object.entries(schema)) {
    if (
      typeof entry.position === "number" &&
      Number.isInteger(entry.position) &&
      entry.position >= 0
    ) {
      names[entry.position] = name;
    }
  }
  return Array.from(names, (name, index) => name ?? `x${index}`);
}

/** Serialises everything about one exchange (its halves, the join, the sweep). */
export async function lockExchange(tx: postgres.TransactionSql, modelId: string, joinId: string) {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`${modelId}:${joinId}`}, 0))`;
}

/**
 * Stores records built from CloudEvents in the caller's transaction, as a prediction batch
 * would be: dedup, COPY, rollups (partial halves counted), label joins, the key's counters.
 */
export async function storeCloudEventRecords(
  tx: postgres.TransactionSql,
  context: CloudEventContext,
  model: ResolvedCloudEventModel,
  built: ReturnType<typeof buildCloudEventRecords>,
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
              rejectedByCode: countByCode([
                ...result.conflicts.map(() => "conflict"),
                ...Array.from({ length: built.invalid }, () => "schema_violation"),
              ]),
            }
          : null,
      }),
    },
  );
  return outcome;
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

/**
 * Ingests one KServe / Seldon payload-logging event: the request or the response of an
 * inference (joined by `Ce-Id` for KServe, `Ce-Requestid` for Seldon, in either order), or
 * Seldon feedback (stored as labels). A half waits in `cloudevent_halves` for its partner; the
 * periodic sweep stores it alone after the join timeout.
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
  // Decoded once now, so that a payload over the limits is refused before it is stored.
  try {
    if (kind.half === "request") requestRows(data, []);
    else responseRows(data);
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
  const [model] = await cloudEventModel(context.sql, { projectId: input.apiKey.projectId, slug });
  if (!model) {
    throw new HttpError(
      400,
      "invalid_cloudevent",
      `Model "${slug}" (Ce-Inferenceservicename) is not registered in this project`,
    );
  }
  if (model.versions.length === 0) {
    throw new HttpError(400, "invalid_cloudevent", `Model "${slug}" has no registered version`);
  }

  const eventTime = new Date(attributes.time ?? "");
  const around = Number.isNaN(eventTime.getTime()) ? input.now : eventTime;
  if (Math.abs(around.getTime() - input.now.getTime()) < 31 * DAY_MS) {
    await ensurePredictionPartitions(
      context.sql,
      new Date(around.getTime() - DAY_MS),
      new Date(around.getTime() + DAY_MS),
    );
  }
  await ensurePredictionPartitions(context.sql, input.now, input.now);

  return context.sql.begin(async (tx) => {
    await lockExchange(tx, model.id, joinId);
    // A half resent after its earlier copy was quarantined replaces that copy.
    await tx`
      insert into cloudevent_halves (model_id, join_id, half, api_key_id, attributes, body)
      values (${model.id}, ${joinId}, ${kind.half}, ${input.apiKey.id},
              ${JSON.stringify(attributes)}::jsonb, ${JSON.stringify(data)})
      on conflict (model_id, join_id, half) do update
      set api_key_id = excluded.api_key_id, attributes = excluded.attributes,
        body = excluded.body, received_at = now(), quarantine_reason = null,
        quarantined_at = null
      where cloudevent_halves.quarantined_at is not null`;
    const halves = await tx<StoredHalfRow[]>`
      select half, attributes, body, received_at from cloudevent_halves
      where model_id = ${model.id} and join_id = ${joinId} and quarantined_at is null`;
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
    let built: ReturnType<typeof buildCloudEventRecords>;
    try {
      built = buildCloudEventRecords(
        joinId,
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
      await quarantineHalves(tx, { modelId: model.id, joinId, half: partner }, "invalid_payload");
      context.onQuarantine?.("invalid_payload", 1);
      return pending;
    }
    await tx`
      delete from cloudevent_halves
      where model_id = ${model.id} and join_id = ${joinId} and quarantined_at is null`;
    const outcome = await storeCloudEventRecords(tx, context, model, built, input.apiKey);
    return {
      status: "joined",
      join_id: joinId,
      model_id: slug,
      records: outcome.accepted.length,
      duplicates: outcome.duplicates.length,
    } satisfies CloudEventResponse;
  });
}
