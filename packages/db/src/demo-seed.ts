import { and, eq, isNull, like } from "drizzle-orm";

import type { Database } from "./client";
import { createApiKey } from "./api-keys";
import { seedDemoGovernance } from "./demo-governance";
import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
  grantRole,
} from "./factories";
import {
  apiKeys,
  models,
  modelVersions,
  projects,
  users,
  type FeatureSchema,
  type Role,
} from "./schema";

/** The demo's sign-ins. These passwords exist only in the demo database. */
export const DEMO_PASSWORD = "plumbline-demo";
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "viewer@plumbline.demo", name: "Vera Viewer", role: "viewer" },
  { email: "engineer@plumbline.demo", name: "Emil Engineer", role: "ml_engineer" },
  { email: "approver@plumbline.demo", name: "Ana Approver", role: "approver" },
  { email: "admin@plumbline.demo", name: "Adam Admin", role: "admin" },
];

export const DEMO_PROJECT_SLUG = "acme-lending";
export const DEMO_MODEL_SLUG = "credit-risk";

/** `position` names the columns of positional payloads (KServe `instances: [[...]]`). */
export const DEMO_FEATURE_SCHEMA: FeatureSchema = {
  age: { type: "numeric", position: 0 },
  annual_income: { type: "numeric", position: 1 },
  loan_amount: { type: "numeric", position: 2 },
  debt_to_income: { type: "numeric", position: 3 },
  credit_utilization: { type: "numeric", position: 4 },
  open_accounts: { type: "numeric", position: 5 },
  employment_type: { type: "categorical", position: 6 },
  region: { type: "categorical", position: 7 },
};

/**
 * Seeds the demo project (idempotent): four users, one per role, a credit-risk model with two
 * versions (artifact digests and metrics), staging and production with their gate policies, a
 * pending production promotion of version 2 with its evidence for the demo approver, and a fresh
 * API key for the traffic simulator (predictions, labels and baselines; earlier simulator keys
 * are revoked).
 */
export async function seedDemo(db: Database) {
  let project = await db.query.projects.findFirst({ where: eq(projects.slug, DEMO_PROJECT_SLUG) });
  project ??= await createProject(db, { slug: DEMO_PROJECT_SLUG, name: "Acme Lending" });

  for (const demoUser of DEMO_USERS) {
    const existing = await db.query.users.findFirst({ where: eq(users.email, demoUser.email) });
    if (existing) {
      await grantRole(db, { userId: existing.id, projectId: project.id, role: demoUser.role });
    } else {
      await createMember(db, { ...demoUser, password: DEMO_PASSWORD, projectId: project.id });
    }
  }
  const engineer = await db.query.users.findFirst({
    where: eq(users.email, "engineer@plumbline.demo"),
  });

  let model = await db.query.models.findFirst({
    where: and(eq(models.projectId, project.id), eq(models.slug, DEMO_MODEL_SLUG)),
  });
  if (!model) {
    model = await createModel(db, {
      projectId: project.id,
      slug: DEMO_MODEL_SLUG,
      name: "Credit risk",
      description: "Probability that a personal-loan applicant defaults within 12 months.",
      featureSchema: DEMO_FEATURE_SCHEMA,
      createdBy: engineer?.id ?? null,
    });
    await createModelVersion(db, {
      modelId: model.id,
      version: "1",
      description: "Gradient-boosted trees, trained on 2025 applications.",
      createdBy: engineer?.id ?? null,
      framework: "lightgbm",
      metrics: { auc: 0.812, log_loss: 0.291 },
      // The score is the probability of default: calibration and ROC read it as the positive class.
      tags: { positive_class: "default" },
    });
    await createModelVersion(db, {
      modelId: model.id,
      version: "2",
      description: "Retrained with 2026 Q1-Q3 applications; canary candidate.",
      createdBy: engineer?.id ?? null,
      framework: "lightgbm",
      metrics: { auc: 0.827, log_loss: 0.284 },
      tags: { positive_class: "default" },
    });
  }

  const versions = await db.select().from(modelVersions).where(eq(modelVersions.modelId, model.id));
  const baseline = versions.find((version) => version.version === "1");
  const candidate = versions.find((version) => version.version === "2");
  if (engineer && baseline && candidate) {
    await seedDemoGovernance(db, {
      projectId: project.id,
      modelId: model.id,
      engineerId: engineer.id,
      baseline,
      candidate,
    });
  }

  await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiKeys.projectId, project.id),
        like(apiKeys.name, "demo traffic simulator%"),
        isNull(apiKeys.revokedAt),
      ),
    );
  const { token } = await createApiKey(
    db,
    {
      projectId: project.id,
      name: `demo traffic simulator ${new Date().toISOString().slice(0, 16)}`,
      // The simulator also uploads each version's training baseline, as a training job would.
      scopes: ["predictions:write", "labels:write", "baselines:write"],
      modelAllowList: [DEMO_MODEL_SLUG],
    },
    { type: "system", id: "demo-seed" },
  );
  return { project, model, apiKeyToken: token };
}
