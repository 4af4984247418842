import { randomBytes } from "node:crypto";

import { and, asc, desc, eq } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import type { NotificationChannel } from "@plumbline/contracts";
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
import { InvalidRecipientsError, parseMailtoRecipients } from "./mailto";

export interface WebhookInput {
  /** How deliveries are sent (default `webhook`): signed JSON, a Slack message, or email. */
  channel?: NotificationChannel;
  /** The receiver's http(s) URL, or for `email` a `mailto:` URI of the recipients. */
  url: string;
  eventTypes: string[];
  description?: string;
}

const publicColumns = {
  id: webhooks.id,
  channel: webhooks.channel,
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

/**
 * Checks a channel's destination: an http(s) URL the delivery guard accepts for `webhook` and
 * `slack`, well-formed recipients for `email` (which goes to the operator's SMTP server, so the
 * guard has no address to check).
 */
function assertValidDestination(
  channel: NotificationChannel,
  url: string,
  options: WebhookDestinationOptions,
) {
  if (channel === "email") {
    try {
      parseMailtoRecipients(url);
    } catch (error) {
      if (!(error instanceof InvalidRecipientsError)) throw error;
      throw new ServiceError("BAD_REQUEST", "invalid_email_recipients", `url: ${error.message}`);
    }
    return;
  }
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_webhook_url",
      `url: a ${channel === "slack" ? "Slack-compatible" : "webhook"} channel needs an http or https URL`,
    );
  }
  assertAllowedDestination(url, options);
}

/** Creates a subscription; its signing secret is returned this once and never listed. */
export async function createWebhook(
  ctx: ServiceContext,
  input: WebhookInput,
  options: WebhookDestinationOptions = {},
) {
  assertValidDestination(input.channel ?? "webhook", input.url, options);
  return withRetryingTransaction(ctx.db, (tx) => insertWebhook(tx, ctx, input, options));
}

/**
 * `createWebhook` inside the caller's transaction: a retraining policy creates its channel and
 * itself together, or neither.
 */
export async function insertWebhook(
  tx: DatabaseOrTransaction,
  ctx: ServiceContext,
  input: WebhookInput,
  options: WebhookDestinationOptions = {},
) {
  const channel = input.channel ?? "webhook";
  assertValidDestination(channel, input.url, options);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const [webhook] = await tx
    .insert(webhooks)
    .values({
      projectId: ctx.projectId,
      channel,
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
    after: { ...input, channel },
  });
  return { webhook: webhook!, secret };
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
  return withRetryingTransaction(ctx.db, async (tx) => {
    if (changes.url !== undefined || changes.channel !== undefined) {
      // The destination is checked against the channel it will have after the change.
      const [current] = await tx
        .select({ channel: webhooks.channel, url: webhooks.url })
        .from(webhooks)
        .where(and(eq(webhooks.id, webhookId), eq(webhooks.projectId, ctx.projectId)));
      if (!current) throw notFound("webhook");
      assertValidDestination(
        changes.channel ?? current.channel,
        changes.url ?? current.url,
        options,
      );
    }
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
      channel: webhooks.channel,
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
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.webhookId, input.webhookId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(input.limit ?? 100);
}
