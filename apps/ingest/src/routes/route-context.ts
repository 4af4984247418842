import type { Database, SqlClient } from "@plumbline/db/client";
import type { ApiKey } from "@plumbline/db/schema";
import type { FastifyReply, FastifyRequest } from "fastify";

import type { RequireApiKey } from "../auth/api-key-guard";
import type { DatabaseGate } from "../backpressure/database-gate";
import type { RequestBody } from "../body/request-body";
import type { IngestMetrics } from "../metrics/ingest-metrics";
import {
  readIdempotencyKey,
  type IdempotencyClaim,
  type StoredResponse,
} from "../services/idempotency/idempotency-ledger";
import type { ModelCache } from "../services/caches/model-cache";
import type { PartitionCache } from "../services/caches/partition-cache";
import type { PredictionGroupCommit } from "../services/predictions/prediction-group-commit";
import type { ReferenceProfileCache } from "../services/reference-profiles/reference-profile-cache";

/** What every route gets from the app: the database, the guards and the shared services. */
export interface IngestRouteContext {
  db: Database;
  sql: SqlClient;
  gate: DatabaseGate;
  metrics: IngestMetrics;
  profiles: ReferenceProfileCache;
  models: ModelCache;
  partitions: PartitionCache;
  /** Group commit of prediction writes (POST /v1/predictions). */
  writes: PredictionGroupCommit;
  requireApiKey: RequireApiKey;
  now: () => Date;
}

/** The request's Idempotency-Key bound to its key and body, or null without the header. */
export function idempotencyClaimOf(
  request: FastifyRequest,
  apiKey: ApiKey,
  body: RequestBody,
): IdempotencyClaim | null {
  const key = readIdempotencyKey(request.headers["idempotency-key"]);
  if (key === null) return null;
  const path = request.url.split("?")[0] ?? request.url;
  return { apiKeyId: apiKey.id, key, bodyHash: body.hashFor(request.method, path) };
}

/** Sends a stored answer again, marked so a client can tell a replay from a first answer. */
export function replay(reply: FastifyReply, stored: StoredResponse) {
  return reply.code(stored.statusCode).header("idempotent-replayed", "true").send(stored.body);
}
