import type { AddressInfo } from "node:net";

import {
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
} from "@plumbline/db/factories";
import { predictions } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { buildIngestApp } from "@plumbline/ingest/app";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PlumblineClient, type PlumblineErrorEvent } from "../src";

/** The SDK against the real ingest service and a real database (needs DATABASE_URL). */
describe.skipIf(!process.env.DATABASE_URL)("PlumblineClient against the ingest app", () => {
  let database: TestDatabase;
  let app: ReturnType<typeof buildIngestApp>;
  let endpoint: string;
  let apiKey: string;
  let projectId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    projectId = (await createProject(database.db)).id;
    ({ token: apiKey } = await createTestApiKey(database.db, { projectId }));
    app = buildIngestApp({ db: database.db, sql: database.sql });
    await app.listen({ port: 0, host: "127.0.0.1" });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  // Plain JSON is what every ingest version accepts; gzip is what the SDK sends by default.
  it.each([
    { bodies: "plain JSON", slug: "sdk-plain", gzipThresholdBytes: Infinity },
    { bodies: "gzipped", slug: "sdk-gzip", gzipThresholdBytes: undefined },
  ])("stores each of 2,500 predictions exactly once ($bodies)", async (scenario) => {
    const model = await createModel(database.db, { projectId, slug: scenario.slug });
    await createModelVersion(database.db, { modelId: model.id, version: "1" });
    const events: PlumblineErrorEvent[] = [];
    const client = new PlumblineClient({
      endpoint,
      apiKey,
      model: { id: scenario.slug, version: "1" },
      gzipThresholdBytes: scenario.gzipThresholdBytes,
      flushOnExit: false,
      onError: (event) => events.push(event),
    });
    for (let index = 0; index < 2_500; index += 1) {
      client.logPrediction({
        features: { amount: index % 97, country: index % 2 === 0 ? "FR" : "DE" },
        prediction: { label: index % 5 === 0 ? "fraud" : "ok", score: (index % 100) / 100 },
        segments: { region: "eu" },
        latency_ms: 3,
      });
    }
    await client.close();

    expect(events).toEqual([]);
    expect(client.stats()).toMatchObject({ sent: 2_500, rejected: 0, failedRecords: 0 });
    const [stored] = await database.db
      .select({ rows: count() })
      .from(predictions)
      .where(eq(predictions.modelId, model.id));
    expect(stored?.rows).toBe(2_500);
  });
});
