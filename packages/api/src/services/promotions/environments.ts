import { and, asc, eq } from "drizzle-orm";

import { aliasNameSchema, type EnvironmentKind } from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { environments, gatePolicies } from "@plumbline/db/schema";

import { writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation, withRetryingTransaction } from "../transactions";

/** Creates an environment; its name is also the alias a completed promotion moves. */
export async function createEnvironment(
  ctx: ServiceContext,
  input: { name: string; kind: EnvironmentKind; protected: boolean },
) {
  if (!aliasNameSchema.safeParse(input.name).success) {
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_environment_name",
      "An environment name is an alias name: lowercase letters, digits, - and _.",
    );
  }
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      const [environment] = await tx
        .insert(environments)
        .values({ projectId: ctx.projectId, ...input })
        .returning();
      await writeAudit(tx, ctx, {
        action: "environment.created",
        resourceType: "environment",
        resourceId: environment!.id,
        after: input,
      });
      return environment!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "environments_project_name_key")) {
      throw new ServiceError("CONFLICT", "environment_exists", `"${input.name}" already exists.`);
    }
    throw error;
  }
}

export async function findEnvironment(db: DatabaseOrTransaction, projectId: string, name: string) {
  const [environment] = await db
    .select()
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, name)));
  if (!environment) throw notFound(`environment "${name}"`);
  return environment;
}

/** The project's environments, each with its policy hash (null: the defaults apply). */
export async function listEnvironments(db: DatabaseOrTransaction, projectId: string) {
  return db
    .select({
      id: environments.id,
      name: environments.name,
      kind: environments.kind,
      protected: environments.protected,
      policyHash: gatePolicies.policyHash,
      policyUpdatedAt: gatePolicies.updatedAt,
    })
    .from(environments)
    .leftJoin(gatePolicies, eq(gatePolicies.environmentId, environments.id))
    .where(eq(environments.projectId, projectId))
    .orderBy(asc(environments.createdAt));
}
