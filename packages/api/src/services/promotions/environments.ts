import { and, asc, eq } from "drizzle-orm";

import {
  aliasNameSchema,
  isProtectedAlias,
  protectedByDefault,
  type EnvironmentKind,
} from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { environments, gatePolicies } from "@plumbline/db/schema";

import { writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation, withRetryingTransaction } from "../transactions";

/**
 * Creates an environment; its name is also the alias a completed promotion moves. Staging and
 * production environments are always created protected (a trigger refuses anything else); an
 * admin turns protection off afterwards with {@link setEnvironmentProtection}.
 */
export async function createEnvironment(
  ctx: ServiceContext,
  input: { name: string; kind: EnvironmentKind; protected?: boolean },
) {
  if (!aliasNameSchema.safeParse(input.name).success) {
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_environment_name",
      "An environment name is an alias name: lowercase letters, digits, - and _.",
    );
  }
  const isProtected = input.protected ?? protectedByDefault(input.kind);
  if (!isProtected && protectedByDefault(input.kind)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "protected",
      `A ${input.kind} environment is created protected; an admin may turn protection off afterwards.`,
    );
  }
  const values = { name: input.name, kind: input.kind, protected: isProtected };
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      const [environment] = await tx
        .insert(environments)
        .values({ projectId: ctx.projectId, ...values })
        .returning();
      await writeAudit(tx, ctx, {
        action: "environment.created",
        resourceType: "environment",
        resourceId: environment!.id,
        after: values,
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

/**
 * Turns an environment's protection on or off (admin only: the router's `environment.manage`),
 * audited with the reason. The aliases named `staging` and `production` stay protected whatever
 * their environment says (the governance spec names them), so turning those off is refused
 * rather than silently ineffective.
 */
export async function setEnvironmentProtection(
  ctx: ServiceContext,
  input: { environmentName: string; protected: boolean; reason: string },
) {
  const reason = input.reason.trim();
  if (reason === "") {
    throw new ServiceError("BAD_REQUEST", "reason_required", "Changing protection needs a reason.");
  }
  if (!input.protected && isProtectedAlias(input.environmentName)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "protected_alias",
      `The ${input.environmentName} alias is always protected.`,
    );
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    const environment = await findEnvironment(tx, ctx.projectId, input.environmentName);
    if (environment.protected === input.protected) return environment;
    const [updated] = await tx
      .update(environments)
      .set({ protected: input.protected })
      .where(eq(environments.id, environment.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: input.protected ? "environment.protected" : "environment.unprotected",
      resourceType: "environment",
      resourceId: environment.id,
      before: { protected: environment.protected },
      after: { protected: input.protected, name: environment.name, kind: environment.kind },
      reason,
    });
    return updated!;
  });
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
