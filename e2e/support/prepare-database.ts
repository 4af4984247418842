/**
 * Run by the global set-up (with tsx): makes a fresh `plumbline_e2e` database on the server of
 * DATABASE_URL, migrates it and seeds users, a model and an API key. Refuses any server that is
 * not on this machine: the suite drops and recreates its database.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import postgres from "postgres";

import { createDatabase } from "@plumbline/db/client";
import {
  createMember,
  createModel,
  createModelVersion,
  createProject,
  createTestApiKey,
  createUser,
  grantRole,
} from "@plumbline/db/factories";
import { migrateDatabase } from "@plumbline/db/migrate";

import { stateFile, type E2EState } from "./environment";

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
for (const role of ["viewer", "ml_engineer", "approver", "admin"] as const) {
  const email = `${role}@e2e.test`;
  await createMember(db, { projectId: project.id, role, email, name: `E2E ${role}`, password });
  users[role] = email;
}
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
const { token } = await createTestApiKey(db, {
  projectId: project.id,
  scopes: ["predictions:write", "labels:write"],
});
await sql.end();

const state: E2EState = {
  databaseUrl,
  projectSlug: project.slug,
  password,
  users,
  modelSlug: model.slug,
  apiKey: token,
  oneTimePasswordUser,
};
mkdirSync(path.dirname(stateFile), { recursive: true });
writeFileSync(stateFile, JSON.stringify(state, null, 2));
