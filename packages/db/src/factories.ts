import { createHash, randomUUID } from "node:crypto";

import { and, eq, isNull } from "drizzle-orm";

import type { DatabaseOrTransaction } from "./client";
import { createApiKey } from "./api-keys";
import { hashPassword } from "./passwords";
import {
  environments,
  modelVersions,
  models,
  projects,
  roleBindings,
  users,
  type ApiKeyScope,
  type ClassLabels,
  type FeatureSchema,
  type Role,
} from "./schema";

type ModelTask = (typeof models.$inferInsert)["task"];

/**
 * Factories shared by the demo, the tests and the end-to-end suite. Each makes a valid row
 * with unique defaults; pass what the test cares about.
 */

const unique = () => randomUUID().slice(0, 8);

export async function createProject(
  db: DatabaseOrTransaction,
  input: { slug?: string; name?: string } = {},
) {
  const slug = input.slug ?? `project-${unique()}`;
  const [project] = await db
    .insert(projects)
    .values({ slug, name: input.name ?? slug })
    .returning();
  return project!;
}

export async function createUser(
  db: DatabaseOrTransaction,
  input: {
    email?: string;
    name?: string;
    password?: string | null;
    mustChangePassword?: boolean;
  } = {},
) {
  const id = unique();
  const [user] = await db
    .insert(users)
    .values({
      email: input.email ?? `user-${id}@example.test`,
      name: input.name ?? `User ${id}`,
      passwordHash: input.password === null ? null : await hashPassword(input.password ?? id),
      mustChangePassword: input.mustChangePassword ?? false,
    })
    .returning();
  return user!;
}

/** Gives a user a role in a project, or org-wide when `projectId` is null (replaces any). */
export async function grantRole(
  db: DatabaseOrTransaction,
  input: { userId: string; projectId: string | null; role: Role },
) {
  await db
    .delete(roleBindings)
    .where(
      and(
        eq(roleBindings.userId, input.userId),
        input.projectId === null
          ? isNull(roleBindings.projectId)
          : eq(roleBindings.projectId, input.projectId),
      ),
    );
  const [binding] = await db.insert(roleBindings).values(input).returning();
  return binding!;
}

/** A user with a password and a role: what most tests need. */
export async function createMember(
  db: DatabaseOrTransaction,
  input: { projectId: string | null; role: Role; email?: string; name?: string; password?: string },
) {
  const user = await createUser(db, input);
  await grantRole(db, { userId: user.id, projectId: input.projectId, role: input.role });
  return user;
}

export async function createModel(
  db: DatabaseOrTransaction,
  input: {
    projectId: string;
    slug?: string;
    name?: string;
    description?: string;
    featureSchema?: FeatureSchema;
    task?: ModelTask;
    createdBy?: string | null;
  },
) {
  const slug = input.slug ?? `model-${unique()}`;
  const [model] = await db
    .insert(models)
    .values({
      projectId: input.projectId,
      slug,
      name: input.name ?? slug,
      description: input.description ?? "",
      featureSchema: input.featureSchema ?? {},
      ...(input.task ? { task: input.task } : {}),
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return model!;
}

/** A well-formed artifact digest (`sha256:<64 hex>`) derived from `seed`. */
export function testArtifactDigest(seed: string = randomUUID()): string {
  return `sha256:${createHash("sha256").update(seed).digest("hex")}`;
}

export async function createModelVersion(
  db: DatabaseOrTransaction,
  input: {
    modelId: string;
    version?: string;
    description?: string;
    createdBy?: string | null;
    status?: "registering" | "ready" | "failed";
    artifactUri?: string;
    /** Defaults to a digest derived from the model id and version; null for none. */
    artifactDigest?: string | null;
    framework?: string;
    metrics?: Record<string, number>;
    tags?: Record<string, string>;
    classLabels?: ClassLabels | null;
  },
) {
  const version = input.version ?? "1";
  const [row] = await db
    .insert(modelVersions)
    .values({
      modelId: input.modelId,
      version,
      description: input.description ?? "",
      createdBy: input.createdBy ?? null,
      status: input.status ?? "ready",
      artifactUri: input.artifactUri ?? `s3://models/${input.modelId}/${version}/model.tar.gz`,
      artifactDigest:
        input.artifactDigest === undefined
          ? testArtifactDigest(`${input.modelId}/${version}`)
          : input.artifactDigest,
      framework: input.framework ?? "",
      metrics: input.metrics ?? {},
      tags: input.tags ?? {},
      classLabels: input.classLabels ?? null,
    })
    .returning();
  return row!;
}

/** An environment of a project; `staging` and `production` are protected unless told. */
export async function createEnvironment(
  db: DatabaseOrTransaction,
  input: {
    projectId: string;
    name: string;
    kind?: "development" | "staging" | "production";
    protected?: boolean;
  },
) {
  const kind =
    input.kind ??
    (input.name === "production"
      ? "production"
      : input.name === "staging"
        ? "staging"
        : "development");
  const [environment] = await db
    .insert(environments)
    .values({
      projectId: input.projectId,
      name: input.name,
      kind,
      protected: input.protected ?? kind !== "development",
    })
    .returning();
  return environment!;
}

export async function createTestApiKey(
  db: DatabaseOrTransaction,
  input: {
    projectId: string;
    scopes?: ApiKeyScope[];
    modelAllowList?: string[] | null;
    expiresAt?: Date | null;
    name?: string;
  },
) {
  return createApiKey(
    db,
    {
      projectId: input.projectId,
      name: input.name ?? `key-${unique()}`,
      scopes: input.scopes ?? ["predictions:write", "labels:write"],
      modelAllowList: input.modelAllowList ?? null,
      expiresAt: input.expiresAt ?? null,
      mode: "test",
    },
    { type: "system" },
  );
}
