import { and, eq, inArray, sql } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { outboxEvents, webhookDeliveries, webhooks } from "@plumbline/db/schema";

import { ALL_EVENTS, type WebhookEventType } from "./event-types";

export interface OutboxEventInput {
  projectId: string;
  eventType: WebhookEventType;
  resourceType: string;
  resourceId: string | null;
  payload: Record<string, unknown>;
  /**
   * Deliver to exactly these webhooks (when active) instead of the subscribers of the event
   * type: a monitor's routes and a retraining policy's target name their channels.
   */
  targetWebhookIds?: readonly string[];
}

/**
 * Writes one outbox row and a pending delivery for each active subscription that wants it, in
 * the caller's transaction: the event exists exactly when the change it announces committed
 * (spec: "an outbox row in the same transaction as the change"). The dispatcher delivers later.
 */
export async function enqueueEvent(
  tx: DatabaseOrTransaction,
  input: OutboxEventInput,
): Promise<string> {
  const { targetWebhookIds, ...eventRow } = input;
  const [event] = await tx
    .insert(outboxEvents)
    .values(eventRow)
    .returning({ id: outboxEvents.id, createdAt: outboxEvents.createdAt });
  if (targetWebhookIds?.length === 0) return event!.id;
  const subscribers = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.projectId, input.projectId),
        eq(webhooks.active, true),
        targetWebhookIds
          ? inArray(webhooks.id, [...targetWebhookIds])
          : sql`(${input.eventType} = any(${webhooks.eventTypes}) or ${ALL_EVENTS} = any(${webhooks.eventTypes}))`,
      ),
    );
  if (subscribers.length > 0) {
    await tx.insert(webhookDeliveries).values(
      subscribers.map((subscriber) => ({
        webhookId: subscriber.id,
        outboxEventId: event!.id,
        nextAttemptAt: event!.createdAt,
      })),
    );
  }
  return event!.id;
}
