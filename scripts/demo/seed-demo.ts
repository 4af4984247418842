/**
 * Seeds the demo project (idempotent): four users, one per role, the credit-risk model and its
 * governance story (see `seed-governance.ts`, told once per project through the product's own
 * services; a project whose model exists is left as it is), and a fresh API key for the traffic simulator (predictions, labels and baselines;
 * earlier simulator keys are revoked). Baselines and traffic go through the real ingest API
 * (`simulate-traffic.ts`), never into the tables directly.
 */
import { and, eq, isNull, like } from "drizzle-orm";

import { findModel } from "@plumbline/api/services/registry/models";
import type { Database } from "@plumbline/db/client";
import { createApiKey, revokeApiKey } from "@plumbline/db/api-keys";
import { createMember, createProject, grantRole } from "@plumbline/db/factories";
import { apiKeys, projects, users } from "@plumbline/db/schema";

import { DEMO_MODEL_SLUG, DEMO_PASSWORD, DEMO_PROJECT_SLUG, DEMO_USERS } from "./demo-content";
import { seedDemoGovernance, type DemoMember } from "./seed-governance";

export { DEMO_MODEL_SLUG, DEMO_PASSWORD, DEMO_PROJECT_SLUG, DEMO_USERS } from "./demo-content";

const SIMULATOR_KEY_PREFIX = "demo traffic simulator";

export async function seedDemo(db: Database) {
  let project = await db.query.projects.findFirst({ where: eq(projects.slug, DEMO_PROJECT_SLUG) });
  project ??= await createProject(db, { slug: DEMO_PROJECT_SLUG, name: "Acme Lending" });

  const members = new Map<string, DemoMember>();
  for (const demoUser of DEMO_USERS) {
    const existing = await db.query.users.findFirst({ where: eq(users.email, demoUser.email) });
    if (existing) {
      await grantRole(db, { userId: existing.id, projectId: project.id, role: demoUser.role });
    }
    const user =
      existing ??
      (await createMember(db, { ...demoUser, password: DEMO_PASSWORD, projectId: project.id }));
    members.set(demoUser.role, { id: user.id, role: demoUser.role });
  }

  const model =
    (await findModel(db, project.id, DEMO_MODEL_SLUG).catch(() => null)) ??
    (await seedDemoGovernance(db, {
      projectId: project.id,
      engineer: members.get("ml_engineer")!,
      approver: members.get("approver")!,
      admin: members.get("admin")!,
    }));

  // The admin manages the simulator's key, as they would in Settings.
  const admin = { type: "user", id: members.get("admin")!.id } as const;
  const previousKeys = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.projectId, project.id),
        like(apiKeys.name, `${SIMULATOR_KEY_PREFIX}%`),
        isNull(apiKeys.revokedAt),
      ),
    );
  for (const key of previousKeys) {
    await revokeApiKey(db, { projectId: project.id, apiKeyId: key.id }, admin);
  }
  const { token } = await createApiKey(
    db,
    {
      projectId: project.id,
      name: `${SIMULATOR_KEY_PREFIX} ${new Date().toISOString().slice(0, 16)}`,
      // The simulator also uploads each version's training baseline, as a training job would.
      scopes: ["predictions:write", "labels:write", "baselines:write"],
      modelAllowList: [DEMO_MODEL_SLUG],
    },
    admin,
  );
  return { project, model, apiKeyToken: token };
}
