import { randomUUID } from "node:crypto";

import { asc, eq } from "drizzle-orm";

import { enqueueEvent } from "@plumbline/api/services/webhooks/enqueue-event";
import type { WebhookEventType } from "@plumbline/api/services/webhooks/event-types";
import { parseAllowedDestinations } from "@plumbline/api/services/webhooks/destination-guard";
import { createWebhook } from "@plumbline/api/services/webhooks/webhooks";
import type { ServiceContext } from "@plumbline/api/services/service-context";
import { createMember, createProject } from "@plumbline/db/factories";
import { webhookDeliveries } from "@plumbline/db/schema";
import { createTestDatabase } from "@plumbline/db/testing";

import type { Receiver } from "./receiver";

/**
 * The test receivers listen on loopback, which the destination guard refuses by default: the tests
 * allow it the way an operator allows an on-premises receiver.
 */
export const LOOPBACK_RECEIVERS = parseAllowedDestinations("127.0.0.1");

/**
 * A fresh migrated database with a project and its admin, and helpers that go through the real
 * api services: subscribe a receiver (createWebhook), publish an event (enqueueEvent, which
 * writes the outbox row and a pending delivery per matching subscription, as every service does).
 */
export async function createWorkerFixture() {
  const database = await createTestDatabase();
  const { db, sql } = database;
  const project = await createProject(db);
  const admin = await createMember(db, { projectId: project.id, role: "admin" });
  const ctx: ServiceContext = {
    db,
    projectId: project.id,
    actor: { type: "user", id: admin.id, role: "admin" },
  };

  const subscribe = async (receiver: Receiver, eventTypes: string[] = ["*"]) => {
    const { webhook, secret } = await createWebhook(
      ctx,
      { url: receiver.url, eventTypes },
      { allowedDestinations: LOOPBACK_RECEIVERS },
    );
    receiver.secret = secret;
    return { ...webhook, secret };
  };

  const publish = (
    eventType: WebhookEventType = "evaluation.posted",
    payload: Record<string, unknown> = { outcome: "pass" },
  ) =>
    db.transaction((tx) =>
      enqueueEvent(tx, {
        projectId: project.id,
        eventType,
        resourceType: "evaluation",
        resourceId: randomUUID(),
        payload,
      }),
    );

  const deliveries = () =>
    db.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.createdAt));

  const deliveryOfEvent = async (outboxEventId: string) => {
    const [row] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.outboxEventId, outboxEventId));
    if (!row) throw new Error(`no delivery for event ${outboxEventId}`);
    return row;
  };

  /** Time travel: every pending delivery is due now (instead of waiting out the backoff). */
  const makePendingDue = () =>
    sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending'`;

  return {
    database,
    db,
    sql,
    project,
    admin,
    ctx,
    subscribe,
    publish,
    deliveries,
    deliveryOfEvent,
    makePendingDue,
    drop: () => database.drop(),
  };
}

export type WorkerFixture = Awaited<ReturnType<typeof createWorkerFixture>>;
