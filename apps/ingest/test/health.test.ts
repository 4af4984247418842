import { createDatabase } from "@plumbline/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildIngestApp } from "../src/app";
import {
  startIngestHarness,
  type IngestHarness,
  postPredictions,
  predictionRecord,
} from "./harness";

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(async () => {
  await harness.close();
});

/** An app whose pool points at a port where nothing listens: the database is "gone". */
function appWithoutDatabase() {
  const { db, sql } = createDatabase("postgres://postgres@127.0.0.1:1/nowhere", { max: 1 });
  const app = buildIngestApp({ db, sql });
  return {
    app,
    close: async () => {
      await app.close();
      await sql.end({ timeout: 1 });
    },
  };
}

describe("health endpoints", () => {
  it("answers liveness without the database", async () => {
    const { app, close } = appWithoutDatabase();
    try {
      const response = await app.inject({ method: "GET", url: "/healthz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ok" });
    } finally {
      await close();
    }
  });

  it("is ready when the database answers", async () => {
    const response = await harness.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready" });
  });

  it("answers 503 with a reason when the database is unreachable", async () => {
    const { app, close } = appWithoutDatabase();
    try {
      const response = await app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: "unavailable",
        reason: "database unreachable (ECONNREFUSED)",
      });
    } finally {
      await close();
    }
  });

  it("answers ingest with 503 and Retry-After while the database is unreachable", async () => {
    const { app, close } = appWithoutDatabase();
    try {
      const response = await postPredictions(app, harness.token, { records: [predictionRecord()] });
      expect(response.statusCode).toBe(503);
      expect(response.headers["retry-after"]).toBe("5");
      expect(response.json()).toMatchObject({ error: "database_unavailable" });
    } finally {
      await close();
    }
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await harness.app.inject({ method: "GET", url: "/v1/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "not_found", message: "No route for GET /v1/nope" });
  });
});

describe("over real HTTP", () => {
  it("accepts a batch through a listening socket", async () => {
    const address = await harness.app.listen({ port: 0, host: "127.0.0.1" });
    const response = await fetch(`${address}/v1/predictions`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.token}`, "content-type": "application/json" },
      body: JSON.stringify({ records: [predictionRecord()] }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 1 });
  });
});
