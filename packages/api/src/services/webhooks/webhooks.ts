import { randomBytes } from "node:crypto";

import { and, asc, desc, eq } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { outboxEvents, webhookDeliveries, webhooks } from "@plumbline/db/schema";

import { readApiEnv } from "../../env";
import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import {
  checkWebhookUrl,
  DestinationRefusedError,
  type AllowedDestinations,
} from "./destination-guard";

export interface WebhookInput {
  url: string;
  eventTypes: string[];
  description?: string;
}

const publicColumns = {
  id: webhooks.id,
  url: webhooks.url,
  description: webhooks.description,
  eventTypes: webhooks.eventTypes,
  active: webhooks.active,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
};

export interface WebhookDestinationOptions {
  /** Internal destinations allowed; the deployment's setting (api env) unless given. */
  allowedDestinations?: AllowedDestinations;
}

/**
 * Refuses a URL the delivery guard would refuse anyway (a `localhost` name, a literal internal
 * address), with the reason, before anything is stored.
 */
function assertAllowedDestination(url: string, options: WebhookDestinationOptions) {
  const allowed =
    options.allowedDestinations ?? readApiEnv().PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS;
  try {
    checkWebhookUrl(url, allowed);
  } catch (error) {
    if (!(error instanceof DestinationRefusedError)) throw error;
    throw new ServiceError(
      "BAD_REQUEST",
      "webhook_destination_refused",
      `url: webhooks cannot be sent to a ${error.reason}. An operator can allow an internal ` +
        "receiver with PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS.",
    );
  }
}

/** Creates a subscription; its signing secret is returned this once and never listed. */
export async function createWebhook(
  ctx: ServiceContext,
  input: WebhookInput,
  options: WebhookDestinationOptions = {},
) {
  assertAllowedDestination(input.url, options);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [webhook] = await tx
      .insert(webhooks)
      .values({
        projectId: ctx.projectId,
        url: input.url,
        description: input.description ?? "",
        eventTypes: input.eventTypes,
        secret,
        createdBy: userIdOf(ctx.actor),
      })
      .returning(publicColumns);
    await writeAudit(tx, ctx, {
      action: "webhook.created",
      resourceType: "webhook",
      resourceId: webhook!.id,
      after: input,
    });
    return { webhook: webhook!, secret };
  });
}

export function listWebhooks(db: DatabaseOrTransaction, projectId: string) {
  return db
    .select(publicColumns)
    .from(webhooks)
    .where(eq(webhooks.projectId, projectId))
    .orderBy(asc(webhooks.createdAt));
}

export async function updateWebhook(
  ctx: ServiceContext,
  input: { webhookId: string } & Partial<WebhookInput> & { active?: boolean },
  options: WebhookDestinationOptions = {},
) {
  const { webhookId, ...changes } = input;
  if (changes.url !== undefined) assertAllowedDestination(changes.url, options);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [webhook] = await tx
      .update(webhooks)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(webhooks.id, webhookId), eq(webhooks.projectId, ctx.projectId)))
      .returning(publicColumns);
    if (!webhook) throw notFound("webhook");
    await writeAudit(tx, ctx, {
      action: "webhook.updated",
      resourceType: "webhook",
      resourceId: webhookId,
      after: changes,
    });
    return webhook;
  });
}

export async function deleteWebhook(ctx: ServiceContext, input: { webhookId: string }) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    const [webhook] = await tx
      .delete(webhooks)
      .where(and(eq(webhooks.id, input.webhookId), eq(webhooks.projectId, ctx.projectId)))
      .returning(publicColumns);
    if (!webhook) throw notFound("webhook");
    await writeAudit(tx, ctx, {
      action: "webhook.deleted",
      resourceType: "webhook",
      resourceId: input.webhookId,
      before: webhook,
    });
    return { deleted: true };
  });
}

/** A subscription's delivery log, newest first. */
export async function listDeliveries(
  db: DatabaseOrTransaction,
  projectId: string,
  input: { webhookId: string; limit?: number },
) {
  const [webhook] = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.id, input.webhookId), eq(webhooks.projectId, projectId)));
  if (!webhook) throw notFound("webhook");
  return db
    .select({
      id: webhookDeliveries.id,
      eventType: outboxEvents.eventType,
      resourceId: outboxEvents.resourceId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseCode: webhookDeliveries.responseCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.outboxEventId))
    .where(eq(webhookDeliveries.webhookId, input.webhookId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(input.limit ?? 100);
}
