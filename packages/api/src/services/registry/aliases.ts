import { and, asc, eq } from "drizzle-orm";

import { canMoveAlias, isProtectedAlias, type Actor } from "@plumbline/governance";
import type { DatabaseOrTransaction, Transaction } from "@plumbline/db/client";
import {
  environments,
  lineageEdges,
  modelAliases,
  modelAliasHistory,
  modelVersions,
  models,
} from "@plumbline/db/schema";

import { auditActorOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";

/**
 * A protected alias: `staging`, `production`, or the name of a protected environment (staging
 * and production environments are protected unless an admin turned it off).
 */
export async function isAliasProtected(
  db: DatabaseOrTransaction,
  projectId: string,
  alias: string,
): Promise<boolean> {
  if (isProtectedAlias(alias)) return true;
  const [environment] = await db
    .select({ protected: environments.protected })
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, alias)));
  return environment?.protected ?? false;
}

export interface AliasMove {
  projectId: string;
  modelId: string;
  alias: string;
  toVersionId: string;
  via: "promotion" | "break_glass" | "direct";
  promotionRequestId: string | null;
  actor: Actor;
  reason: string | null;
}

/**
 * Points the alias at the version and appends its history row, in the caller's transaction
 * (the alias row is locked, so concurrent moves of one alias queue). Also records the lineage
 * edges version -> alias -> prediction stream. The caller checks whether the move is allowed.
 */
export async function recordAliasMove(tx: Transaction, move: AliasMove) {
  const isProtected = await isAliasProtected(tx, move.projectId, move.alias);
  const [current] = await tx
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.modelId, move.modelId), eq(modelAliases.name, move.alias)))
    .for("update");
  let aliasId: string;
  if (current) {
    aliasId = current.id;
    await tx
      .update(modelAliases)
      .set({ modelVersionId: move.toVersionId, protected: isProtected, updatedAt: new Date() })
      .where(eq(modelAliases.id, current.id));
  } else {
    const [created] = await tx
      .insert(modelAliases)
      .values({
        modelId: move.modelId,
        name: move.alias,
        modelVersionId: move.toVersionId,
        protected: isProtected,
      })
      .returning({ id: modelAliases.id });
    aliasId = created!.id;
  }
  const actor = auditActorOf(move.actor);
  await tx.insert(modelAliasHistory).values({
    aliasId,
    modelId: move.modelId,
    name: move.alias,
    fromVersionId: current?.modelVersionId ?? null,
    toVersionId: move.toVersionId,
    via: move.via,
    promotionRequestId: move.promotionRequestId,
    actorType: actor.type,
    actorId: actor.id ?? null,
    reason: move.reason,
  });
  const [version] = await tx
    .select({ version: modelVersions.version })
    .from(modelVersions)
    .where(eq(modelVersions.id, move.toVersionId));
  await tx
    .insert(lineageEdges)
    .values([
      {
        projectId: move.projectId,
        fromKind: "model_version",
        fromId: move.toVersionId,
        toKind: "alias",
        toId: aliasId,
      },
      {
        projectId: move.projectId,
        fromKind: "alias",
        fromId: aliasId,
        toKind: "prediction_stream",
        toId: `${move.modelId}:${version?.version ?? ""}`,
      },
    ])
    .onConflictDoNothing();
  return { aliasId, fromVersionId: current?.modelVersionId ?? null, protected: isProtected };
}

/**
 * Moves an alias by hand (role matrix: "move a protected alias directly: break-glass only").
 * Without `breakGlassReason` this is a direct move, refused for protected aliases; with it, an
 * admin's audited break-glass.
 */
export async function moveAlias(
  ctx: ServiceContext,
  input: { modelId: string; alias: string; versionId: string; breakGlassReason?: string },
) {
  const via = input.breakGlassReason === undefined ? "direct" : "break_glass";
  const actorRole =
    ctx.actor.type === "user"
      ? ctx.actor.role
      : ctx.actor.type === "api_key"
        ? "api_key"
        : "system";
  const isProtected = await isAliasProtected(ctx.db, ctx.projectId, input.alias);
  const decision = canMoveAlias({
    alias: input.alias,
    via,
    actorRole,
    ...(input.breakGlassReason === undefined ? {} : { reason: input.breakGlassReason }),
  });
  if (!decision.allowed) {
    const code =
      decision.code === "invalid_alias_name" || decision.code === "break_glass_reason_required"
        ? "BAD_REQUEST"
        : "FORBIDDEN";
    throw new ServiceError(code, decision.code, decision.message);
  }
  if (via === "direct" && isProtected) {
    throw new ServiceError(
      "FORBIDDEN",
      "protected_alias",
      `${input.alias} is protected: it moves only through an approved promotion or an admin's break-glass.`,
    );
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [version] = await tx
      .select({
        id: modelVersions.id,
        status: modelVersions.status,
        version: modelVersions.version,
      })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(
        and(
          eq(modelVersions.id, input.versionId),
          eq(modelVersions.modelId, input.modelId),
          eq(models.projectId, ctx.projectId),
        ),
      );
    if (!version) throw new ServiceError("NOT_FOUND", "not_found", "No such model version.");
    if (version.status !== "ready") {
      throw new ServiceError(
        "PRECONDITION_FAILED",
        "version_not_ready",
        `The version is ${version.status}; only a ready version can be pointed at.`,
      );
    }
    const reason = input.breakGlassReason?.trim() ?? null;
    const moved = await recordAliasMove(tx, {
      projectId: ctx.projectId,
      modelId: input.modelId,
      alias: input.alias,
      toVersionId: input.versionId,
      via,
      promotionRequestId: null,
      actor: ctx.actor,
      reason,
    });
    const payload = {
      alias: input.alias,
      modelId: input.modelId,
      fromVersionId: moved.fromVersionId,
      toVersionId: input.versionId,
      via,
    };
    await writeAudit(tx, ctx, {
      action: via === "break_glass" ? "alias.break_glass" : "alias.moved",
      resourceType: "model_alias",
      resourceId: moved.aliasId,
      before: { versionId: moved.fromVersionId },
      after: payload,
      reason,
    });
    await enqueueEvent(tx, {
      projectId: ctx.projectId,
      eventType: "alias.moved",
      resourceType: "model_alias",
      resourceId: moved.aliasId,
      payload,
    });
    return { aliasId: moved.aliasId, ...payload, flagged: decision.flagged };
  });
}

/** A model's aliases and, for each, its moves newest first. */
export async function listAliases(db: DatabaseOrTransaction, modelId: string) {
  const aliases = await db
    .select({
      id: modelAliases.id,
      name: modelAliases.name,
      protected: modelAliases.protected,
      modelVersionId: modelAliases.modelVersionId,
      version: modelVersions.version,
      updatedAt: modelAliases.updatedAt,
    })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.modelVersionId))
    .where(eq(modelAliases.modelId, modelId))
    .orderBy(asc(modelAliases.name));
  const history = await db
    .select()
    .from(modelAliasHistory)
    .where(eq(modelAliasHistory.modelId, modelId))
    .orderBy(asc(modelAliasHistory.movedAt));
  return aliases.map((alias) => ({
    ...alias,
    history: history.filter((move) => move.aliasId === alias.id).reverse(),
  }));
}
