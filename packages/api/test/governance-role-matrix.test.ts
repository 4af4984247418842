import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { testArtifactDigest } from "@plumbline/db/factories";
import type { ModelVersion } from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { editModelCard, submitModelCard } from "../src/services/model-cards/model-cards";
import { breakGlassPromotion } from "../src/services/promotions/decide-promotion";
import { startPromotionDeployment } from "../src/services/promotions/deploy-promotion";
import { createWebhook } from "../src/services/webhooks/webhooks";
import {
  createGovernanceFixture,
  expectTrpcError,
  SCHEMA_ONLY_RULES,
  type GovernanceFixture,
  type Member,
} from "./governance-fixture";

/**
 * The spec's role matrix, mutation by mutation and role by role, through the tRPC routers. An
 * allowed role must succeed (each call gets fresh data); any other must get FORBIDDEN. Requests
 * are opened by a second admin, so that no caller is the requester or the version's creator.
 */
type RoleName = "viewer" | "ml_engineer" | "approver" | "admin";
const ROLE_NAMES: RoleName[] = ["viewer", "ml_engineer", "approver", "admin"];
const ENGINEER_UP: RoleName[] = ["ml_engineer", "approver", "admin"];
const APPROVER_UP: RoleName[] = ["approver", "admin"];
const ADMIN: RoleName[] = ["admin"];

let database: TestDatabase;
let f: GovernanceFixture;
let shared: ModelVersion;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
  shared = await f.candidate(f.admin2);
  // Created as an admin would in the settings: no protection flag given, only the kind.
  for (const [name, kind] of [
    ["prod-eu", "production"],
    ["stage-eu", "staging"],
  ] as const) {
    await f.caller(f.admin).registry.createEnvironment({ projectSlug: f.project.slug, name, kind });
  }
});
afterAll(async () => {
  await database.drop();
});

const uid = () => randomUUID().slice(0, 8);

const rows: { name: string; allowed: RoleName[]; run: (who: Member) => Promise<unknown> }[] = [
  {
    name: "registry.registerModel",
    allowed: ENGINEER_UP,
    run: (who) =>
      f.caller(who).registry.registerModel({
        projectSlug: f.project.slug,
        slug: `m-${uid()}`,
        name: "Model",
      }),
  },
  {
    name: "registry.registerVersion",
    allowed: ENGINEER_UP,
    run: (who) =>
      f.caller(who).registry.registerVersion({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: uid(),
        artifactUri: "s3://models/x",
        artifactDigest: testArtifactDigest(),
      }),
  },
  {
    name: "registry.postEvaluation",
    allowed: ENGINEER_UP,
    run: (who) =>
      f.caller(who).registry.postEvaluation({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: shared.version,
        evaluation: { kind: "holdout", outcome: "pass", metrics: [], groups: [] },
      }),
  },
  {
    name: "registry.registerDatasetVersion",
    allowed: ENGINEER_UP,
    run: (who) =>
      f.caller(who).registry.registerDatasetVersion({
        projectSlug: f.project.slug,
        datasetName: "loans",
        version: uid(),
        digest: testArtifactDigest(),
      }),
  },
  {
    name: "registry.createEnvironment",
    allowed: ADMIN,
    run: (who) =>
      f.caller(who).registry.createEnvironment({
        projectSlug: f.project.slug,
        name: `env-${uid()}`,
        kind: "development",
      }),
  },
  {
    name: "registry.moveAlias (unprotected)",
    allowed: ENGINEER_UP,
    run: (who) =>
      f.caller(who).registry.moveAlias({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: shared.version,
        alias: "champion",
      }),
  },
  // Moving an environment's alias directly, per environment kind: development moves for an
  // engineer and up; staging and production (whatever their name) move for nobody directly.
  ...(
    [
      ["development", "development", ENGINEER_UP],
      ["staging", "staging", []],
      ["production", "production", []],
      ["prod-eu", "production", []],
      ["stage-eu", "staging", []],
    ] as const
  ).map(([environment, kind, allowed]) => ({
    name: `registry.moveAlias (${kind} environment ${environment}, direct)`,
    allowed: [...allowed],
    run: (who: Member) =>
      f.caller(who).registry.moveAlias({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: shared.version,
        alias: environment,
      }),
  })),
  {
    name: "registry.setEnvironmentProtection",
    allowed: ADMIN,
    run: (who) =>
      f.caller(who).registry.setEnvironmentProtection({
        projectSlug: f.project.slug,
        environmentName: "prod-eu",
        protected: true,
        reason: "production is protected",
      }),
  },
  {
    name: "registry.moveAlias (protected, break-glass)",
    allowed: ADMIN,
    run: (who) =>
      f.caller(who).registry.moveAlias({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: shared.version,
        alias: "production",
        breakGlassReason: "incident 9",
      }),
  },
  {
    name: "promotions.upsertPolicy",
    allowed: APPROVER_UP,
    run: (who) =>
      f.caller(who).promotions.upsertPolicy({
        projectSlug: f.project.slug,
        environment: "development",
        policy: { requiredApprovals: 0, rules: [...SCHEMA_ONLY_RULES] },
      }),
  },
  {
    name: "promotions.request",
    allowed: ENGINEER_UP,
    run: async (who) => {
      const version = await f.candidate(f.admin2);
      return f.caller(who).promotions.request({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
        environment: "staging",
        justification: "matrix",
      });
    },
  },
  ...(["approve", "reject"] as const).map((decision) => ({
    name: `promotions.${decision} (production)`,
    allowed: APPROVER_UP,
    run: async (who: Member) => {
      const { version, request } = await f.openRequest("production", f.admin2);
      return f.caller(who).promotions[decision]({
        projectSlug: f.project.slug,
        requestId: request.id,
        comment: "reviewed",
        artifactDigest: version.artifactDigest!,
      });
    },
  })),
  {
    name: "promotions.approve (staging, policy allows ml_engineer)",
    allowed: ENGINEER_UP,
    run: async (who) => {
      const { version, request } = await f.openRequest("staging", f.admin2);
      return f.caller(who).promotions.approve({
        projectSlug: f.project.slug,
        requestId: request.id,
        comment: "reviewed",
        artifactDigest: version.artifactDigest!,
      });
    },
  },
  {
    name: "promotions.breakGlass",
    allowed: ADMIN,
    run: async (who) => {
      const { request } = await f.openRequest("production", f.admin2);
      return f.caller(who).promotions.breakGlass({
        projectSlug: f.project.slug,
        requestId: request.id,
        reason: "incident",
      });
    },
  },
  {
    name: "promotions.cancel (someone else's request)",
    allowed: ADMIN,
    run: async (who) => {
      const { request } = await f.openRequest("production", f.admin2);
      return f
        .caller(who)
        .promotions.cancel({ projectSlug: f.project.slug, requestId: request.id });
    },
  },
  {
    name: "promotions.deploy",
    allowed: ENGINEER_UP,
    run: async (who) => {
      const { request } = await f.openRequest("development", f.admin2);
      return f
        .caller(who)
        .promotions.deploy({ projectSlug: f.project.slug, requestId: request.id });
    },
  },
  {
    name: "promotions.rollBack (someone else's deployment)",
    allowed: APPROVER_UP,
    run: async (who) => {
      const { request } = await f.openRequest("staging", f.admin2);
      await breakGlassPromotion(f.ctxOf(f.admin2), { requestId: request.id, reason: "hotfix" });
      await startPromotionDeployment(f.ctxOf(f.admin2), { requestId: request.id });
      return f.caller(who).promotions.rollBack({
        projectSlug: f.project.slug,
        requestId: request.id,
        reason: "errors",
      });
    },
  },
  {
    name: "modelCards.edit",
    allowed: ENGINEER_UP,
    run: async (who) => {
      const version = await f.candidate(f.admin2);
      return f.caller(who).modelCards.edit({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
        content: { modelDetails: { name: "Card" } },
      });
    },
  },
  ...(["submit", "approve"] as const).map((step) => ({
    name: `modelCards.${step}`,
    allowed: step === "submit" ? ENGINEER_UP : APPROVER_UP,
    run: async (who: Member) => {
      const version = await f.candidate(f.admin2);
      await editModelCard(f.ctxOf(f.admin2), {
        versionId: version.id,
        content: { modelDetails: { name: "Card" } },
      });
      if (step === "approve") await submitModelCard(f.ctxOf(f.admin2), { versionId: version.id });
      return f.caller(who).modelCards[step]({
        projectSlug: f.project.slug,
        modelSlug: f.model.slug,
        version: version.version,
      });
    },
  })),
  {
    name: "webhooks.create",
    allowed: APPROVER_UP,
    run: (who) =>
      f.caller(who).webhooks.create({
        projectSlug: f.project.slug,
        url: "https://hooks.example.test/plumbline",
        eventTypes: ["promotion.approved"],
      }),
  },
  ...(["update", "delete"] as const).map((action) => ({
    name: `webhooks.${action}`,
    allowed: APPROVER_UP,
    run: async (who: Member) => {
      const { webhook } = await createWebhook(f.ctxOf(f.admin2), {
        url: "https://hooks.example.test/x",
        eventTypes: ["*"],
      });
      return action === "update"
        ? f.caller(who).webhooks.update({
            projectSlug: f.project.slug,
            webhookId: webhook.id,
            active: false,
          })
        : f.caller(who).webhooks.delete({ projectSlug: f.project.slug, webhookId: webhook.id });
    },
  })),
  {
    name: "audit.list",
    allowed: APPROVER_UP,
    run: (who) => f.caller(who).audit.list({ projectSlug: f.project.slug }),
  },
  {
    name: "promotions.list (read)",
    allowed: ROLE_NAMES,
    run: (who) => f.caller(who).promotions.list({ projectSlug: f.project.slug }),
  },
];

const memberOf = (role: RoleName): Member =>
  ({ viewer: f.viewer, ml_engineer: f.engineer, approver: f.approver, admin: f.admin })[role];

describe("governance role matrix (each mutation x each role)", () => {
  for (const row of rows) {
    for (const role of ROLE_NAMES) {
      const allowed = row.allowed.includes(role);
      it(`${row.name}: ${role} ${allowed ? "allowed" : "FORBIDDEN"}`, async () => {
        const call = row.run(memberOf(role));
        if (allowed) await expect(call).resolves.toBeDefined();
        else await expectTrpcError(call, "FORBIDDEN");
      });
    }
  }

  it("refuses a signed-out caller", async () => {
    await expectTrpcError(
      f.caller(null).promotions.list({ projectSlug: f.project.slug }),
      "UNAUTHORIZED",
    );
  });
});
