import type { AddressInfo } from "node:net";

import {
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
} from "@plumbline/db/factories";
import { predictions, referenceBaselines, referenceProfiles } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";
import { buildIngestApp } from "@plumbline/ingest/app";
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BaselineUploadError, PlumblineClient, type PlumblineErrorEvent } from "../src";

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

  describe("uploadBaseline", () => {
    // Four rows with one missing amount and one missing country: every count below is by hand.
    const rows = [
      { amount: 10, country: "FR", prediction: "ok", score: 0.1 },
      { amount: 20, country: "DE", prediction: "fraud", score: 0.9 },
      { amount: null, country: "FR", prediction: "ok", score: 0.2 },
      { amount: 40, country: null, prediction: "ok", score: 0.3 },
    ];
    const csv = [
      "amount,country,prediction,score",
      ...rows.map((row) =>
        [row.amount ?? "", row.country ?? "", row.prediction, row.score].join(","),
      ),
    ].join("\n");
    // amount: 3 values, too few for value bins, so decile edges 10, 20, 40 make 4 bins. country:
    // FR, DE and the out-of-vocabulary bin. score: edges 0.1, 0.2, 0.3, 0.9 make 5 bins.
    const expectedProfiles = [
      { target: "feature", name: "amount", kind: "numeric", n: 3, missing: 1, bins: 4 },
      { target: "feature", name: "country", kind: "categorical", n: 3, missing: 1, bins: 3 },
      { target: "prediction", name: "prediction", kind: "categorical", n: 4, missing: 0, bins: 3 },
      { target: "score", name: "score", kind: "numeric", n: 4, missing: 0, bins: 5 },
    ];

    async function createVersion(slug: string) {
      const model = await createModel(database.db, { projectId, slug });
      await createModelVersion(database.db, { modelId: model.id, version: "1" });
      return model;
    }

    function baselineClient(key: string, slug: string) {
      return new PlumblineClient({
        endpoint,
        apiKey: key,
        model: { id: slug, version: "1" },
        flushOnExit: false,
        initialBackoffMs: 1,
        maxBackoffMs: 5,
      });
    }

    it("stores rows as JSON; a CSV of the same rows is the same baseline, not a new revision", async () => {
      const model = await createVersion("sdk-baseline");
      const { token } = await createTestApiKey(database.db, {
        projectId,
        scopes: ["baselines:write"],
      });
      const client = baselineClient(token, "sdk-baseline");

      const fromRows = await client.uploadBaseline({ rows });
      expect(fromRows).toEqual({
        model_id: "sdk-baseline",
        version: "1",
        revision: 1,
        rows: 4,
        profiles: expectedProfiles,
      });
      const fromCsv = await client.uploadBaseline({ csv, name: "training 2026-Q3" });
      expect(fromCsv).toEqual(fromRows);
      await client.close();

      const [baseline] = await database.db
        .select()
        .from(referenceBaselines)
        .where(eq(referenceBaselines.modelId, model.id));
      expect(baseline).toMatchObject({ version: "1", revision: 1, rows: 4 });
      const stored = await database.db
        .select({
          target: referenceProfiles.target,
          name: referenceProfiles.name,
          revision: referenceProfiles.revision,
        })
        .from(referenceProfiles)
        .where(eq(referenceProfiles.modelId, model.id))
        .orderBy(asc(referenceProfiles.target), asc(referenceProfiles.name));
      expect(stored).toEqual([
        { target: "feature", name: "amount", revision: 1 },
        { target: "feature", name: "country", revision: 1 },
        { target: "prediction", name: "prediction", revision: 1 },
        { target: "score", name: "score", revision: 1 },
      ]);
    });

    it("rejects with the server's reason, without retrying a refusal", async () => {
      await createVersion("sdk-baseline-refused");
      const { token } = await createTestApiKey(database.db, {
        projectId,
        scopes: ["baselines:write"],
      });
      const client = baselineClient(token, "sdk-baseline-refused");
      const unknownVersion = client.uploadBaseline({ rows, version: "9" });
      await expect(unknownVersion).rejects.toBeInstanceOf(BaselineUploadError);
      await expect(unknownVersion).rejects.toMatchObject({ status: 404, code: "not_found" });

      // The default test key writes predictions and labels only.
      const withoutScope = baselineClient(apiKey, "sdk-baseline-refused");
      await expect(withoutScope.uploadBaseline({ rows })).rejects.toMatchObject({ status: 403 });
      await expect(client.uploadBaseline({ rows: [] })).rejects.toMatchObject({
        status: 400,
        code: "schema_violation",
      });
      await Promise.all([client.close(), withoutScope.close()]);
    });
  });
});
