// citus: reference (webhooks); outbox and deliveries stay on the coordinator with the job queue
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { NOTIFICATION_CHANNELS } from "@plumbline/contracts";

import { createdAt, uuidPrimaryKey } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const notificationChannelEnum = pgEnum("notification_channel", NOTIFICATION_CHANNELS);

/**
 * A project's webhook subscription: the event types it wants and the HMAC-SHA256 secret that
 * signs its deliveries. The secret is stored as is because signing needs it; it is shown once at
 * creation and never listed.
 */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /**
     * How deliveries are sent: `webhook` (signed Plumbline JSON), `slack` (a Slack-compatible
     * incoming-webhook message) or `email` (over SMTP; `url` is a `mailto:` URI of the recipients).
     */
    channel: notificationChannelEnum().notNull().default("webhook"),
    url: text().notNull(),
    description: text().notNull().default(""),
    eventTypes: text().array().notNull(),
    secret: text().notNull(),
    active: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("webhooks_project_idx").on(table.projectId)],
);

/**
 * The transactional outbox: one row per event, written in the same transaction as the change it
 * announces, so an event exists exactly when its change committed.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuidPrimaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    eventType: text().notNull(),
    resourceType: text().notNull(),
    resourceId: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [index("outbox_events_project_idx").on(table.projectId, table.createdAt)],
);

export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", [
  "pending",
  "succeeded",
  "failed",
]);

/**
 * One event for one subscription: created with the outbox row (pending, due now); the dispatcher
 * claims due rows, signs and posts them, and records each attempt.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuidPrimaryKey(),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    outboxEventId: uuid()
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "cascade" }),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }),
    lastAttemptAt: timestamp({ withTimezone: true }),
    responseCode: integer(),
    lastError: text(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("webhook_deliveries_webhook_event_key").on(table.webhookId, table.outboxEventId),
    index("webhook_deliveries_due_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
  ],
);

export type Webhook = typeof webhooks.$inferSelect;
export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
