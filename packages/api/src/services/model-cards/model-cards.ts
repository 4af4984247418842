import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";

import {
  fillModelCardFromEvidence,
  hashModelCard,
  modelCardCompleteness,
  modelCardSchema,
  renderModelCardMarkdown,
  type ModelCardInput,
} from "@plumbline/governance";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { modelCards, users, type ModelCardRow } from "@plumbline/db/schema";

import { loadEvaluations } from "../promotions/gate-evidence";
import { invalidateOpenRequests } from "../promotions/invalidate";
import { versionDatasets } from "../registry/lineage";
import { versionInProject } from "../registry/models";
import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { lockSubject, withRetryingTransaction } from "../transactions";
import { enqueueEvent } from "../webhooks/enqueue-event";

/**
 * A version's card (or null), with what it still misses and the names of who last edited,
 * submitted and approved it (null when that user is gone or the step has not happened).
 */
export async function getModelCard(
  db: DatabaseOrTransaction,
  projectId: string,
  versionId: string,
) {
  await versionInProject(db, projectId, versionId);
  const editor = alias(users, "editor");
  const submitter = alias(users, "submitter");
  const approver = alias(users, "approver");
  const [row] = await db
    .select({
      card: modelCards,
      updatedByName: editor.name,
      submittedByName: submitter.name,
      approvedByName: approver.name,
    })
    .from(modelCards)
    .leftJoin(editor, eq(editor.id, modelCards.updatedBy))
    .leftJoin(submitter, eq(submitter.id, modelCards.submittedBy))
    .leftJoin(approver, eq(approver.id, modelCards.approvedBy))
    .where(eq(modelCards.modelVersionId, versionId));
  if (!row) return null;
  const content = modelCardSchema.parse(row.card.content);
  return {
    ...row.card,
    content,
    completeness: modelCardCompleteness(content),
    updatedByName: row.updatedByName,
    submittedByName: row.submittedByName,
    approvedByName: row.approvedByName,
  };
}

/**
 * Optimistic locking: a caller that read revision N may pass `expectedRevision: N` (0 when it saw
 * no card) and is refused if someone else has written the card since, so that nobody overwrites
 * an edit they never saw and an approver never signs content they did not review.
 */
function assertRevision(card: ModelCardRow | undefined, expectedRevision: number | undefined) {
  if (expectedRevision === undefined) return;
  const current = card?.revision ?? 0;
  if (current === expectedRevision) return;
  throw new ServiceError(
    "CONFLICT",
    "card_revision_conflict",
    current === 0
      ? "This version has no model card any more; reload the page."
      : `The card was changed while you had it open (now revision ${current}, you had ${expectedRevision === 0 ? "no card" : `revision ${expectedRevision}`}). Reload it to see the change.`,
  );
}

export async function exportModelCardMarkdown(
  db: DatabaseOrTransaction,
  projectId: string,
  versionId: string,
): Promise<string> {
  const card = await getModelCard(db, projectId, versionId);
  if (!card) throw new ServiceError("NOT_FOUND", "not_found", "This version has no model card.");
  return renderModelCardMarkdown(card.content);
}

/**
 * Writes a version's card. With `fillFromEvidence` the data and metrics sections are replaced
 * from lineage and evaluations. A change of content sends an approved or submitted card back to
 * draft and makes open requests for the version stale (`model_card_changed`).
 */
export async function editModelCard(
  ctx: ServiceContext,
  input: {
    versionId: string;
    content: ModelCardInput;
    fillFromEvidence?: boolean;
    expectedRevision?: number;
  },
) {
  const parsed = modelCardSchema.safeParse(input.content);
  if (!parsed.success) {
    throw new ServiceError("BAD_REQUEST", "invalid_model_card", z.prettifyError(parsed.error));
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const version = await versionInProject(tx, ctx.projectId, input.versionId);
    let content = parsed.data;
    if (input.fillFromEvidence) {
      const datasets = await versionDatasets(tx, version.id);
      content = fillModelCardFromEvidence(content, {
        datasets: datasets.map((dataset) => ({
          name: `${dataset.name}@${dataset.version}`,
          role: dataset.role ?? "train",
          digest: dataset.digest,
          ...(dataset.rowCount === null ? {} : { rowCount: dataset.rowCount }),
          ...(dataset.uri === "" ? {} : { sourceUri: dataset.uri }),
        })),
        evaluations: await loadEvaluations(tx, version.id),
      });
    }
    const contentHash = hashModelCard(content);
    const [before] = await tx
      .select()
      .from(modelCards)
      .where(eq(modelCards.modelVersionId, version.id));
    assertRevision(before, input.expectedRevision);
    if (before?.contentHash === contentHash) return before;
    const staleRequestIds = before
      ? await invalidateOpenRequests(
          tx,
          ctx,
          { modelVersionId: version.id },
          "model_card_changed",
          `card revision ${before.revision + 1}`,
        )
      : [];
    const [card] = await tx
      .insert(modelCards)
      .values({
        modelId: version.modelId,
        modelVersionId: version.id,
        content,
        contentHash,
        updatedBy: userIdOf(ctx.actor),
      })
      .onConflictDoUpdate({
        target: modelCards.modelVersionId,
        set: {
          content,
          contentHash,
          status: "draft",
          revision: (before?.revision ?? 0) + 1,
          updatedBy: userIdOf(ctx.actor),
          submittedBy: null,
          submittedAt: null,
          approvedBy: null,
          approvedAt: null,
          updatedAt: new Date(),
        },
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: "model_card.edited",
      resourceType: "model_card",
      resourceId: card!.id,
      before: before ? { contentHash: before.contentHash, status: before.status } : null,
      after: { contentHash, status: card!.status, revision: card!.revision, staleRequestIds },
    });
    return card!;
  });
}

async function moveCard(
  ctx: ServiceContext,
  { versionId, expectedRevision }: { versionId: string; expectedRevision?: number },
  from: "draft" | "pending_review",
  to: "pending_review" | "approved",
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", versionId);
    await versionInProject(tx, ctx.projectId, versionId);
    const [card] = await tx
      .select()
      .from(modelCards)
      .where(eq(modelCards.modelVersionId, versionId));
    if (!card) throw new ServiceError("NOT_FOUND", "not_found", "This version has no model card.");
    assertRevision(card, expectedRevision);
    if (card.status !== from) {
      throw new ServiceError(
        "CONFLICT",
        "invalid_card_transition",
        `The card is ${card.status}; only a ${from} card can become ${to}.`,
      );
    }
    const userId = userIdOf(ctx.actor);
    // Four eyes on a card: whoever wrote its current content or submitted it never approves it.
    if (
      to === "approved" &&
      userId !== null &&
      [card.updatedBy, card.submittedBy].includes(userId)
    ) {
      throw new ServiceError(
        "FORBIDDEN",
        "self_approval_author",
        "The author of a model card (its last editor or its submitter) cannot approve it.",
      );
    }
    const now = new Date();
    const [updated] = await tx
      .update(modelCards)
      .set(
        to === "approved"
          ? { status: to, approvedBy: userId, approvedAt: now }
          : {
              status: to,
              submittedBy: userId,
              submittedAt: now,
              approvedBy: null,
              approvedAt: null,
            },
      )
      .where(eq(modelCards.id, card.id))
      .returning();
    const eventType = to === "approved" ? "model_card.approved" : "model_card.submitted";
    await writeAudit(tx, ctx, {
      action: eventType,
      resourceType: "model_card",
      resourceId: card.id,
      before: { status: from },
      after: { status: to, contentHash: card.contentHash },
    });
    await enqueueEvent(tx, {
      projectId: ctx.projectId,
      eventType,
      resourceType: "model_card",
      resourceId: card.id,
      payload: { modelVersionId: versionId, contentHash: card.contentHash },
    });
    return updated!;
  });
}

/** draft -> pending_review (an engineer asks for review). */
export function submitModelCard(
  ctx: ServiceContext,
  input: { versionId: string; expectedRevision?: number },
) {
  return moveCard(ctx, input, "draft", "pending_review");
}

/** pending_review -> approved (an approver signs the exact content hash). */
export function approveModelCard(
  ctx: ServiceContext,
  input: { versionId: string; expectedRevision?: number },
) {
  return moveCard(ctx, input, "pending_review", "approved");
}
