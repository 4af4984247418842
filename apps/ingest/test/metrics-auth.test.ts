import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startIngestHarness, type IngestHarness } from "./harness";

const TOKEN = "metrics-scrape-token-0123456789";

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness({ metricsToken: TOKEN });
});

afterAll(async () => {
  await harness.close();
});

const scrape = (authorization?: string) =>
  harness.app.inject({
    method: "GET",
    url: "/metrics",
    headers: authorization === undefined ? {} : { authorization },
  });

describe("GET /metrics with PLUMBLINE_METRICS_TOKEN set", () => {
  it("answers the metrics to a scrape with the bearer token", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("plumbline_ingest_requests_in_flight");
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong token", "Bearer metrics-scrape-token-0123456780"],
    ["a shorter token", "Bearer metrics"],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`],
    ["the token as Basic credentials", `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`],
    ["the bare token", TOKEN],
  ])("answers 401 to %s, with no metrics", async (_case, authorization) => {
    const response = await scrape(authorization);
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(response.json()).toMatchObject({ error: "unauthorized" });
    expect(response.body).not.toContain("plumbline_ingest");
  });

  it("does not take an ingest API key in place of the token", async () => {
    const response = await harness.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { "x-api-key": harness.token, authorization: `Bearer ${harness.token}` },
    });
    expect(response.statusCode).toBe(401);
  });
});
