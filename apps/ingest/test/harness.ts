import type { Database } from "@plumbline/db/client";
import {
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
} from "@plumbline/db/factories";
import type { ApiKeyScope, FeatureSchema } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import type { FastifyInstance } from "fastify";

import { buildIngestApp, type IngestAppOptions } from "../src/app";
import type { IngestMetrics } from "../src/metrics/ingest-metrics";

/** A migrated database, one project with a model and version "1", a writer key and the app. */
export async function startIngestHarness(options: Partial<IngestAppOptions> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const app = buildIngestApp({
    db: database.db,
    sql: database.sql,
    // Tests hammer one key; the rate limit has its own test.
    rateLimit: { perSecond: 100_000, burst: 100_000 },
    ...options,
  });
  const project = await createProject(database.db);
  const model = await createModel(database.db, { projectId: project.id, slug: "fraud-detector" });
  await createModelVersion(database.db, { modelId: model.id, version: "1" });
  const { token } = await createTestApiKey(database.db, {
    projectId: project.id,
    scopes: ["predictions:write"],
  });
  return {
    database,
    db: database.db,
    sql: database.sql,
    app,
    project,
    model,
    token,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export type IngestHarness = Awaited<ReturnType<typeof startIngestHarness>>;

export async function createKey(
  db: Database,
  projectId: string,
  options: { scopes?: ApiKeyScope[]; modelAllowList?: string[]; expiresAt?: Date } = {},
) {
  return createTestApiKey(db, {
    projectId,
    scopes: options.scopes ?? ["predictions:write"],
    modelAllowList: options.modelAllowList ?? null,
    expiresAt: options.expiresAt ?? null,
  });
}

let sequence = 0;

/** A valid record for `fraud-detector` version 1, stamped now, with a unique prediction id. */
export function predictionRecord(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    prediction_id: `pred-${Date.now()}-${sequence}`,
    model: { id: "fraud-detector", version: "1" },
    timestamp: new Date().toISOString(),
    features: { amount: 12.5, country: "FR" },
    prediction: { label: "fraud", score: 0.9 },
    ...overrides,
  };
}

export function postPredictions(
  app: FastifyInstance,
  token: string | null,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url: "/v1/predictions",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
      ...headers,
    },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** POSTs a raw body (Buffer or string) with the given headers and the key. */
export function postRaw(
  app: FastifyInstance,
  url: string,
  token: string | null,
  payload: Buffer | string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    payload,
  });
}

/** A fresh model with version "1" (and more versions when given) in the harness's project. */
export async function createFreshModel(
  harness: IngestHarness,
  slug: string,
  options: { versions?: string[]; featureSchema?: FeatureSchema } = {},
) {
  const model = await createModel(harness.db, {
    projectId: harness.project.id,
    slug,
    featureSchema: options.featureSchema ?? {},
  });
  for (const version of options.versions ?? ["1"]) {
    await createModelVersion(harness.db, { modelId: model.id, version });
  }
  return model;
}

/** API key lookups counted so far with `result` (the cache's hits and misses in /metrics). */
export async function lookups(metrics: IngestMetrics, result: "hit" | "miss" | "negative_hit") {
  const { values } = await metrics.apiKeyLookups.get();
  return values.find((value) => value.labels.result === result)?.value ?? 0;
}
