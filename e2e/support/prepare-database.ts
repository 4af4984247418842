/**
 * Run by the global set-up (with tsx): makes a fresh `plumbline_e2e` database on the server of
 * DATABASE_URL, migrates it and seeds users, a model and an API key. Refuses any server that is
 * not on this machine: the suite drops and recreates its database.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import postgres from "postgres";

import { createApiKey } from "@plumbline/db/api-keys";
import { createDatabase } from "@plumbline/db/client";
import {
  createMember,
  createEnvironment,
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
  createUser,
  grantRole,
} from "@plumbline/db/factories";
import { migrateDatabase } from "@plumbline/db/migrate";

import { stateFile, type E2EState } from "./environment";
import { seedGovernance } from "./seed-governance";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error("DATABASE_URL is not set; run the suite through `pnpm test`.");
const parsed = new URL(serverUrl);
if (!LOCAL_HOSTS.has(parsed.hostname)) {
  throw new Error(
    `Refusing to run end-to-end tests against ${parsed.hostname}: the suite drops and recreates ` +
      "its database, so it only runs against a PostgreSQL on this machine.",
  );
}

parsed.pathname = "/postgres";
const maintenance = postgres(parsed.toString(), { max: 1, onnotice: () => undefined });
await maintenance.unsafe('drop database if exists "plumbline_e2e" with (force)');
await maintenance.unsafe('create database "plumbline_e2e"');
await maintenance.end();

parsed.pathname = "/plumbline_e2e";
const databaseUrl = parsed.toString();
await migrateDatabase(databaseUrl);

const { db, sql } = createDatabase(databaseUrl, { max: 2 });
const password = "e2e-password-1";
const project = await createProject(db, { slug: "e2e-lending", name: "E2E Lending" });
const users = {} as E2EState["users"];
const userIds = {} as Record<keyof E2EState["users"], string>;
for (const role of ["viewer", "ml_engineer", "approver", "admin"] as const) {
  const email = `${role}@e2e.test`;
  const member = await createMember(db, {
    projectId: project.id,
    role,
    email,
    name: `E2E ${role}`,
    password,
  });
  users[role] = email;
  userIds[role] = member.id;
}
// A promotion to production needs two approvers (promotion-flow.spec.ts).
const secondApprover = "approver-2@e2e.test";
await createMember(db, {
  projectId: project.id,
  role: "approver",
  email: secondApprover,
  name: "E2E second approver",
  password,
});
// Changes its password in change-password.spec.ts; no other test may sign in as this user.
const oneTimePasswordUser = { email: "one-time@e2e.test", password: "e2e-one-time" };
const oneTimeUser = await createUser(db, {
  ...oneTimePasswordUser,
  name: "E2E one-time",
  mustChangePassword: true,
});
await grantRole(db, { userId: oneTimeUser.id, projectId: project.id, role: "viewer" });
const model = await createModel(db, {
  projectId: project.id,
  slug: "e2e-credit",
  name: "E2E credit",
  featureSchema: { income: { type: "numeric" }, region: { type: "categorical" } },
});
await createModelVersion(db, { modelId: model.id, version: "1" });
await createModelVersion(db, { modelId: model.id, version: "2" });
// live-dashboard.spec.ts counts predictions exactly: its model gets no traffic from other specs.
const liveModel = await createModel(db, {
  projectId: project.id,
  slug: "e2e-live",
  name: "E2E live",
  featureSchema: { income: { type: "numeric" }, region: { type: "categorical" } },
});
await createModelVersion(db, { modelId: liveModel.id, version: "1" });
await createModelVersion(db, { modelId: liveModel.id, version: "2" });
// dashboard.spec.ts filters, compares and measures drift on its own model's exact counts.
const driftModel = await createModel(db, {
  projectId: project.id,
  slug: "e2e-drift",
  name: "E2E drift",
  featureSchema: { income: { type: "numeric" }, region: { type: "categorical" } },
});
await createModelVersion(db, { modelId: driftModel.id, version: "1" });
await createModelVersion(db, { modelId: driftModel.id, version: "2" });
await seedGovernance(db, {
  projectSlug: project.slug,
  modelSlug: model.slug,
  adminId: userIds.admin,
  engineerId: userIds.ml_engineer,
  approverId: userIds.approver,
});
const { token } = await createTestApiKey(db, {
  projectId: project.id,
  scopes: ["predictions:write", "labels:write"],
});
// cli.spec.ts's CI key: registers, evaluates and requests promotions; no key ever approves. The
// ML engineer made it, so the versions it registers are theirs and they cannot approve them.
const ciKeyCreator = await db.query.users.findFirst({
  where: (user, { eq }) => eq(user.email, users.ml_engineer),
});
const { token: ciApiKey } = await createApiKey(
  db,
  {
    projectId: project.id,
    name: "e2e ci pipeline",
    scopes: ["models:register", "evaluations:write", "promotions:request", "read"],
    mode: "test",
  },
  { type: "user", id: ciKeyCreator!.id },
);
const ciEnvironment = "ci-staging";
await createEnvironment(db, { projectId: project.id, name: ciEnvironment, kind: "staging" });
await sql.end();

const state: E2EState = {
  databaseUrl,
  projectSlug: project.slug,
  password,
  users,
  secondApprover,
  modelSlug: model.slug,
  liveModelSlug: liveModel.slug,
  driftModelSlug: driftModel.slug,
  apiKey: token,
  ciApiKey,
  ciEnvironment,
  oneTimePasswordUser,
};
mkdirSync(path.dirname(stateFile), { recursive: true });
writeFileSync(stateFile, JSON.stringify(state, null, 2));
