/**
 * The demo's canary releases, run beside the traffic simulator: a `checkout-fraud` model whose
 * `live` environment releases through a canary. Version 1 is released directly; version 2 errs on
 * a third of its requests and is rolled back by itself; version 3 is as good as version 1 and is
 * promoted. Everything goes through the services and APIs people use: registration, gates,
 * approval and deployment as in the web app, traffic through the ingest API with an API key, the
 * split read from GET /v1/models/checkout-fraud/routing (ETag polling), the deployments advanced
 * by the running worker. The rollout pages show both.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { eq } from "drizzle-orm";

import { registerModel } from "@plumbline/api/services/registry/models";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import { createApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import { deployments, models, users } from "@plumbline/db/schema";

import {
  canaryTraffic,
  errorRateCanary,
  prepareCanaryEnvironment,
  releaseVersion,
  type CanaryPeople,
} from "./canary-scenario";

export const CANARY_MODEL_SLUG = "checkout-fraud";
const ENVIRONMENT = "live";

export interface CanaryDemo {
  stop: () => Promise<void>;
}

/** Starts the canary story in the background; `log` gets one line per milestone. */
export function startCanaryDemo(input: {
  databaseUrl: string;
  projectId: string;
  /** The e-mail addresses of the demo's engineer, approver and admin. */
  members: { engineer: string; approver: string; admin: string };
  ingestUrl: string;
  log: (line: string) => void;
}): CanaryDemo {
  const { db, sql } = createDatabase(input.databaseUrl, {
    max: 2,
    applicationName: "plumbline-canary-demo",
  });
  let stopping = false;
  const as = async (
    email: string,
    role: "ml_engineer" | "approver" | "admin",
  ): Promise<ServiceContext> => {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!user) throw new Error(`no demo user ${email}`);
    return { db, projectId: input.projectId, actor: { type: "user", id: user.id, role } };
  };

  const run = async () => {
    const people: CanaryPeople = {
      engineer: await as(input.members.engineer, "ml_engineer"),
      approver: await as(input.members.approver, "approver"),
      admin: await as(input.members.admin, "admin"),
    };
    const [existing] = await db.select().from(models).where(eq(models.slug, CANARY_MODEL_SLUG));
    if (existing) {
      input.log("the canary releases ran on an earlier start: open /rollouts to see them");
      return;
    }
    const model = await registerModel(people.engineer, {
      slug: CANARY_MODEL_SLUG,
      name: "Checkout fraud",
      description: "Flags card payments at checkout for review.",
      task: "binary_classification",
      riskTier: "medium",
      featureSchema: { amount: { type: "numeric" } },
    });
    await prepareCanaryEnvironment(db, people, {
      modelId: model.id,
      environmentName: ENVIRONMENT,
      stableVersion: "1",
      justification: "First release of checkout fraud.",
      strategy: errorRateCanary({ intervalSeconds: 15, count: 4, failureLimit: 1, minSamples: 20 }),
    });
    const { token } = await createApiKey(
      db,
      {
        projectId: input.projectId,
        name: "checkout-fraud inference service (demo)",
        scopes: ["predictions:write", "read"],
        modelAllowList: [CANARY_MODEL_SLUG],
      },
      { type: "user", id: people.admin.actor.id },
    );
    const headers = { authorization: `Bearer ${token}` };

    // The simulated inference service: reads the split every second, serves by it.
    let split = { stableVersion: "1", canaryVersion: null as string | null, weight: 0 };
    let etag: string | undefined;
    let canaryErrorRate = 0.01;
    let lastWeight = 0;
    const serve = (async () => {
      while (!stopping) {
        const response = await fetch(
          `${input.ingestUrl}/v1/models/${CANARY_MODEL_SLUG}/routing?environment=${ENVIRONMENT}`,
          {
            headers: { ...headers, ...(etag ? { "if-none-match": etag } : {}) },
          },
        );
        if (response.status === 200) {
          etag = response.headers.get("etag") ?? undefined;
          split = (await response.json()) as typeof split;
          if (split.weight !== lastWeight) {
            input.log(
              `serving v${split.stableVersion}${split.canaryVersion ? ` + canary v${split.canaryVersion} at ${split.weight} %` : " only"}`,
            );
            lastWeight = split.weight;
          }
        }
        const records = canaryTraffic(
          {
            modelSlug: CANARY_MODEL_SLUG,
            environment: "production",
            stableVersion: split.stableVersion,
            canaryVersion: split.canaryVersion,
            weight: split.weight,
            canaryErrorRate,
            canaryLatencyMs: 22,
          },
          60,
          new Date(),
        );
        await fetch(`${input.ingestUrl}/v1/predictions`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ records }),
        });
        await sleep(1_000);
      }
    })();

    const finish = async (deploymentId: string) => {
      for (;;) {
        if (stopping) return "stopped";
        const [row] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
        if (row?.state === "succeeded" || row?.state === "rolled_back") return row.state;
        await sleep(1_000);
      }
    };

    canaryErrorRate = 0.35;
    const bad = await releaseVersion(db, people, {
      modelId: model.id,
      version: "2",
      environmentName: ENVIRONMENT,
      justification: "New features (the demo's deliberately worse version).",
    });
    input.log(`canary of v2 started: /rollouts/${bad.deploymentId}`);
    input.log(`v2 ended ${await finish(bad.deploymentId!)}`);
    if (stopping) return;

    canaryErrorRate = 0.01;
    const good = await releaseVersion(db, people, {
      modelId: model.id,
      version: "3",
      environmentName: ENVIRONMENT,
      justification: "The fixed version.",
    });
    input.log(`canary of v3 started: /rollouts/${good.deploymentId}`);
    input.log(`v3 ended ${await finish(good.deploymentId!)}`);
    stopping = true;
    await serve;
  };

  const done = run().catch((error: unknown) => {
    input.log(`stopped: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    stop: async () => {
      stopping = true;
      await done;
      await sql.end();
    },
  };
}
