import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { advanceDeployment } from "@plumbline/api/services/rollouts/advance-deployments";
import { createDatabase } from "@plumbline/db/client";
import {
  deploymentSteps,
  deployments,
  modelAliases,
  predictionRollupsMinute,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { advanceDeployments } from "../src/jobs/advance-deployments";
import { createPendingDeployment } from "./deployment-fixture";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const T0 = new Date("2030-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

async function rowOf(id: string) {
  const [row] = await database.db.select().from(deployments).where(eq(deployments.id, id));
  return row!;
}

describe("the advance-deployments job", () => {
  it("takes a healthy canary from pending to succeeded across passes, moving the alias", async () => {
    const { model, stable, candidate, deployment } = await createPendingDeployment(database.db);
    await database.db.insert(predictionRollupsMinute).values([
      { modelId: model.id, minute: T0, version: stable.version, deployment: "stable", count: 100 },
      {
        modelId: model.id,
        minute: T0,
        version: candidate.version,
        deployment: "canary",
        count: 30,
      },
    ]);
    for (const seconds of [0, 10, 20, 30]) {
      await advanceDeployments(database.db, { now: () => at(seconds) });
    }
    expect(await rowOf(deployment.id)).toMatchObject({ state: "succeeded", weight: 100 });
    const [alias] = await database.db
      .select()
      .from(modelAliases)
      .where(eq(modelAliases.modelId, model.id));
    expect(alias).toMatchObject({ name: "production", modelVersionId: candidate.id });
  });

  it("a worker process killed mid-step leaves the deployment for the next worker", async () => {
    const { deployment } = await createPendingDeployment(database.db);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./advance-deployments-child.ts", import.meta.url)),
        database.url,
        deployment.id,
        at(0).toISOString(),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("inside-step")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`the child exited early (${code})`)));
    });
    // The doomed worker holds the row: another worker skips it rather than repeating the step.
    expect(await advanceDeployment(database.db, deployment.id, { now: at(0) })).toMatchObject({
      claimed: false,
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await rowOf(deployment.id)).toMatchObject({ state: "pending", weight: 0, version: 1 });

    // PostgreSQL ends the dead worker's session (and its lock) once it sees the socket close.
    const { db, sql } = createDatabase(database.url, { max: 1 });
    try {
      let result = await advanceDeployment(db, deployment.id, { now: at(1) });
      for (let attempt = 0; !result.claimed && attempt < 200; attempt += 1) {
        await sleep(50);
        result = await advanceDeployment(db, deployment.id, { now: at(1) });
      }
      expect(result).toMatchObject({ claimed: true, changed: true, state: "analyzing" });
    } finally {
      await sql.end();
    }
    const steps = await database.db
      .select({ stepIndex: deploymentSteps.stepIndex })
      .from(deploymentSteps)
      .where(eq(deploymentSteps.deploymentId, deployment.id));
    expect(steps.map((step) => step.stepIndex).sort()).toEqual([0, 1]);
    expect(await rowOf(deployment.id)).toMatchObject({ weight: 25, version: 2 });
  });
});
