import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createEnvironment } from "@plumbline/db/factories";
import { deployments, modelAliases, modelVersions } from "@plumbline/db/schema";

import { createFreshModel, createKey, startIngestHarness, type IngestHarness } from "./harness";

let harness: IngestHarness;
let readToken: string;
let environmentId: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  readToken = (await createKey(harness.db, harness.project.id, { scopes: ["read"] })).token;
  environmentId = (
    await createEnvironment(harness.db, { projectId: harness.project.id, name: "production" })
  ).id;
});

afterAll(async () => {
  await harness.close();
});

function getRouting(
  path: string,
  token: string | null = readToken,
  headers: Record<string, string> = {},
) {
  return harness.app.inject({
    method: "GET",
    url: path,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

async function versionId(modelId: string, version: string) {
  const [row] = await harness.db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)));
  return row!.id;
}

describe("GET /v1/models/{model_id}/routing", () => {
  it("serves the stable version, then the canary and its weight, with an ETag and 304s", async () => {
    const model = await createFreshModel(harness, "routing-model", { versions: ["1", "2"] });
    const stableId = await versionId(model.id, "1");
    await harness.db
      .insert(modelAliases)
      .values({ modelId: model.id, name: "production", modelVersionId: stableId, protected: true });

    const before = await getRouting("/v1/models/routing-model/routing");
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({
      model: "routing-model",
      environment: "production",
      stableVersion: "1",
      canaryVersion: null,
      weight: 0,
      deploymentId: null,
      state: null,
    });
    const etag = before.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(before.headers["cache-control"]).toBe("no-cache");

    const unchanged = await getRouting("/v1/models/routing-model/routing", readToken, {
      "if-none-match": etag,
    });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe("");
    expect(unchanged.headers.etag).toBe(etag);

    const [deployment] = await harness.db
      .insert(deployments)
      .values({
        projectId: harness.project.id,
        modelId: model.id,
        environmentId,
        targetAlias: "production",
        candidateVersionId: await versionId(model.id, "2"),
        stableVersionId: stableId,
        strategy: { steps: [{ kind: "setWeight", weight: 10 }], progressDeadlineSeconds: 600 },
        state: "paused",
        weight: 10,
        startedBy: "system:test",
        startedAt: new Date(),
      })
      .returning();
    const during = await getRouting("/v1/models/routing-model/routing", readToken, {
      "if-none-match": etag,
    });
    expect(during.statusCode).toBe(200);
    expect(during.json()).toMatchObject({
      stableVersion: "1",
      canaryVersion: "2",
      weight: 10,
      deploymentId: deployment!.id,
      state: "paused",
    });
    expect(during.headers.etag).not.toBe(etag);

    await harness.db
      .update(deployments)
      .set({ state: "rolled_back", weight: 0 })
      .where(eq(deployments.id, deployment!.id));
    const after = await getRouting("/v1/models/routing-model/routing");
    expect(after.json()).toMatchObject({ stableVersion: "1", canaryVersion: null, weight: 0 });
    expect(after.headers.etag).toBe(etag);
  });

  it("reads another environment when asked, and names bad input", async () => {
    await createFreshModel(harness, "routing-other");
    const staging = await getRouting("/v1/models/routing-other/routing?environment=staging");
    expect(staging.json()).toMatchObject({ environment: "staging", stableVersion: null });
    const bad = await getRouting("/v1/models/routing-other/routing?environment=Prod%20!");
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain("environment must be");
    expect((await getRouting("/v1/models/no-such-model/routing")).statusCode).toBe(404);
  });

  it("refuses a request without a key, and a key that may not read", async () => {
    await createFreshModel(harness, "routing-secure");
    expect((await getRouting("/v1/models/routing-secure/routing", null)).statusCode).toBe(401);
    const labelsOnly = (
      await createKey(harness.db, harness.project.id, { scopes: ["labels:write"] })
    ).token;
    expect((await getRouting("/v1/models/routing-secure/routing", labelsOnly)).statusCode).toBe(
      403,
    );
    const elsewhere = (
      await createKey(harness.db, harness.project.id, {
        scopes: ["read"],
        modelAllowList: ["another-model"],
      })
    ).token;
    expect((await getRouting("/v1/models/routing-secure/routing", elsewhere)).statusCode).toBe(403);
  });
});
