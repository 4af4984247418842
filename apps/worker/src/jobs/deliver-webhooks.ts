import { MAX_DELIVERY_ATTEMPTS, nextDeliveryAttempt } from "@plumbline/governance";
import type { SqlClient } from "@plumbline/db/client";

import type { Webhook } from "@plumbline/db/schema";

import { silentLogger, type Logger } from "../logger";
import { emailMessage } from "../notifications/email-message";
import { sendEmail, type SmtpSettings } from "../notifications/send-email";
import { slackMessage } from "../notifications/slack-message";
import {
  postWebhook,
  webhookBody,
  type AttemptOutcome,
  type DestinationPolicy,
  type OutboxEventForDelivery,
} from "../webhooks/post-webhook";

/**
 * Webhook dispatch: the outbox's pending deliveries are claimed, signed, POSTed and recorded.
 *
 * Any number of worker processes may run this at once. They coordinate only through row locks:
 * a claim is one statement that picks due rows with `FOR UPDATE SKIP LOCKED` (rows another
 * worker is claiming are skipped, not waited for) and, before it commits, leases them by pushing
 * `next_attempt_at` past the time the send may take. No lock is held during the HTTP call; the
 * lease keeps other workers off the row instead. The outcome is written only if the row is still
 * the attempt this worker claimed (`attempts` is the fencing token), so a worker that lost its
 * lease (it stalled past it and another worker took the row over) cannot overwrite newer state.
 *
 * Delivery is at least once: a worker that dies mid-send leaves the row to be claimed again when
 * the lease runs out, and receivers dedupe on the `Plumbline-Delivery` header. Order is not
 * guaranteed (retries overtake); the body's `createdAt` says when the event happened.
 */

/** How far past the HTTP timeout a lease reaches: time to record the outcome, with slack. */
export const LEASE_MARGIN_MS = 30_000;

export const INACTIVE_WEBHOOK_ERROR = "not sent: the webhook is inactive";
export const INTERRUPTED_FINAL_ATTEMPT_ERROR =
  "the final attempt was interrupted (its worker stopped before recording an outcome)";

export interface DeliverWebhooksOptions {
  /** Deliveries claimed per statement and sent in parallel. */
  batchSize: number;
  /** Per request: resolving, connecting and the answer's status line. */
  timeoutMs: number;
  /** Where deliveries may go (docs/webhook-destinations.md). */
  destinations: DestinationPolicy;
  /** The mail server of email channels; null (or absent) when none is configured. */
  smtp?: SmtpSettings | null;
  log?: Logger;
  /** Retry jitter source, [0, 1); tests pin it. */
  random?: () => number;
  /** Aborted when the worker stops: the batch in hand is finished, no new batch is claimed. */
  signal?: AbortSignal;
}

export interface DeliveryRunSummary {
  /** Due deliveries closed without sending (inactive webhook, interrupted final attempt). */
  cancelled: number;
  claimed: number;
  succeeded: number;
  /** Failed this attempt, scheduled again. */
  retrying: number;
  /** Failed for good: retries exhausted. */
  failed: number;
  /** Outcome discarded: another worker took the row over, or the webhook was deleted. */
  leaseLost: number;
}

export interface ClaimedDelivery {
  id: string;
  /** The attempt this claim makes (1-based), and the fencing token of its outcome. */
  attempt: number;
  webhookId: string;
  /** How to send it: signed JSON, a Slack-compatible message, or email. */
  channel: Webhook["channel"];
  url: string;
  secret: string;
  event: OutboxEventForDelivery;
}

type RecordedOutcome = "succeeded" | "retrying" | "failed" | "lease_lost";

export function deliveryLeaseMs(timeoutMs: number): number {
  return timeoutMs + LEASE_MARGIN_MS;
}

/** Claims and delivers due deliveries, batch after batch, until none is due or `signal` aborts. */
export async function deliverDueWebhooks(
  sql: SqlClient,
  options: DeliverWebhooksOptions,
): Promise<DeliveryRunSummary> {
  const log = options.log ?? silentLogger;
  const summary: DeliveryRunSummary = {
    cancelled: await cancelUndeliverableDeliveries(sql),
    claimed: 0,
    succeeded: 0,
    retrying: 0,
    failed: 0,
    leaseLost: 0,
  };
  while (!options.signal?.aborted) {
    const batch = await claimDueDeliveries(sql, {
      batchSize: options.batchSize,
      leaseMs: deliveryLeaseMs(options.timeoutMs),
    });
    summary.claimed += batch.length;
    const settled = await Promise.allSettled(
      batch.map(async (delivery) => {
        const outcome = await sendDelivery(delivery, options);
        const recorded = await recordOutcome(sql, delivery, outcome, options.random);
        logOutcome(log, delivery, outcome, recorded);
        return recorded;
      }),
    );
    for (const result of settled) {
      if (result.status === "rejected") continue;
      if (result.value === "lease_lost") summary.leaseLost += 1;
      else summary[result.value] += 1;
    }
    // Every send has finished before a recording error surfaces: nothing is left in flight.
    const failure = settled.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
    if (batch.length < options.batchSize) break;
  }
  return summary;
}

/**
 * Closes due deliveries that must not be sent: those of an inactive webhook (subscriptions that
 * are switched off get nothing, as `enqueueEvent` creates no delivery for them; the delivery log
 * says why, and switching the webhook on again does not replay stale events), and those whose
 * final attempt was claimed by a worker that stopped before recording it.
 */
export async function cancelUndeliverableDeliveries(sql: SqlClient): Promise<number> {
  const rows = await sql`
    with undeliverable as (
      select d.id, w.active
      from webhook_deliveries d
      join webhooks w on w.id = d.webhook_id
      where d.status = 'pending'
        and d.next_attempt_at <= now()
        and (not w.active or d.attempts >= ${MAX_DELIVERY_ATTEMPTS})
      for update of d skip locked
    )
    update webhook_deliveries d
    set status = 'failed',
        next_attempt_at = null,
        last_error = case
          when u.active then ${INTERRUPTED_FINAL_ATTEMPT_ERROR}
          else ${INACTIVE_WEBHOOK_ERROR}
        end
    from undeliverable u
    where d.id = u.id
    returning d.id
  `;
  return rows.length;
}

/**
 * Claims up to `batchSize` due deliveries of active webhooks, oldest due first, in one
 * statement (one transaction): locks them with SKIP LOCKED, counts the attempt, and leases them
 * for `leaseMs`. The lease is committed when this returns.
 */
export async function claimDueDeliveries(
  sql: SqlClient,
  input: { batchSize: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  // Timestamps come back as epoch milliseconds: Drizzle, which shares this client, switches off
  // postgres.js's own date parsing.
  const rows = await sql<
    (Omit<ClaimedDelivery, "event"> & {
      eventId: string;
      projectId: string;
      eventType: string;
      resourceType: string;
      resourceId: string | null;
      payload: Record<string, unknown>;
      createdAtMs: number;
    })[]
  >`
    with due as (
      select d.id
      from webhook_deliveries d
      join webhooks w on w.id = d.webhook_id
      where d.status = 'pending'
        and d.next_attempt_at <= now()
        and w.active
        and d.attempts < ${MAX_DELIVERY_ATTEMPTS}
      order by d.next_attempt_at
      limit ${input.batchSize}
      for update of d skip locked
    ),
    claimed as (
      update webhook_deliveries d
      set attempts = d.attempts + 1,
          last_attempt_at = now(),
          next_attempt_at = now() + ${input.leaseMs}::integer * interval '1 millisecond'
      from due
      where d.id = due.id
      returning d.id, d.attempts, d.webhook_id, d.outbox_event_id
    )
    select c.id, c.attempts as "attempt", w.id as "webhookId", w.channel, w.url, w.secret,
           e.id as "eventId", e.project_id as "projectId", e.event_type as "eventType",
           e.resource_type as "resourceType", e.resource_id as "resourceId", e.payload,
           floor(extract(epoch from e.created_at) * 1000)::float8 as "createdAtMs"
    from claimed c
    join webhooks w on w.id = c.webhook_id
    join outbox_events e on e.id = c.outbox_event_id
  `;
  return rows.map((row) => ({
    id: row.id,
    attempt: row.attempt,
    webhookId: row.webhookId,
    channel: row.channel,
    url: row.url,
    secret: row.secret,
    event: {
      id: row.eventId,
      projectId: row.projectId,
      eventType: row.eventType,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      payload: row.payload,
      createdAt: new Date(row.createdAtMs),
    },
  }));
}

/**
 * Sends one delivery the way its channel says. `webhook` and `slack` are HTTP POSTs through the
 * destination guard, both signed (a Slack-compatible receiver ignores the headers; a receiver of
 * our own can check them); `email` goes to the operator's SMTP server. Every channel's outcome is
 * recorded, retried and logged the same way.
 */
export function sendDelivery(
  delivery: ClaimedDelivery,
  {
    timeoutMs,
    destinations,
    smtp,
  }: Pick<DeliverWebhooksOptions, "timeoutMs" | "destinations" | "smtp">,
): Promise<AttemptOutcome> {
  if (delivery.channel === "email") {
    return sendEmail({
      recipients: delivery.url,
      message: emailMessage(delivery.event),
      deliveryId: delivery.id,
      eventType: delivery.event.eventType,
      smtp: smtp ?? null,
      timeoutMs,
    });
  }
  return postWebhook({
    url: delivery.url,
    secret: delivery.secret,
    deliveryId: delivery.id,
    eventType: delivery.event.eventType,
    body:
      delivery.channel === "slack"
        ? JSON.stringify(slackMessage(delivery.event))
        : webhookBody(delivery.event),
    timeoutMs,
    destinations,
  });
}

/**
 * Writes one attempt's outcome if this worker still holds the row: 2xx succeeds; anything else
 * is retried on the schedule of `nextDeliveryAttempt`, or fails once attempts are exhausted.
 */
export async function recordOutcome(
  sql: SqlClient,
  delivery: Pick<ClaimedDelivery, "id" | "attempt">,
  outcome: AttemptOutcome,
  random: () => number = Math.random,
): Promise<RecordedOutcome> {
  const held = sql`id = ${delivery.id} and status = 'pending' and attempts = ${delivery.attempt}`;
  if (outcome.ok) {
    const rows = await sql`
      update webhook_deliveries
      set status = 'succeeded', response_code = ${outcome.responseCode}, last_error = null,
          next_attempt_at = null
      where ${held}
      returning id
    `;
    return rows.length === 1 ? "succeeded" : "lease_lost";
  }
  const next = nextDeliveryAttempt(delivery.attempt, random);
  const rows = next.retry
    ? await sql`
        update webhook_deliveries
        set response_code = ${outcome.responseCode}, last_error = ${outcome.error},
            next_attempt_at = now() + ${next.delayMs}::integer * interval '1 millisecond'
        where ${held}
        returning id
      `
    : await sql`
        update webhook_deliveries
        set status = 'failed', response_code = ${outcome.responseCode},
            last_error = ${outcome.error}, next_attempt_at = null
        where ${held}
        returning id
      `;
  if (rows.length === 0) return "lease_lost";
  return next.retry ? "retrying" : "failed";
}

function logOutcome(
  log: Logger,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  recorded: RecordedOutcome,
) {
  const fields = {
    deliveryId: delivery.id,
    webhookId: delivery.webhookId,
    channel: delivery.channel,
    eventType: delivery.event.eventType,
    attempt: delivery.attempt,
    responseCode: outcome.responseCode,
    ...(outcome.ok ? {} : { error: outcome.error }),
  };
  if (recorded === "lease_lost") {
    log.warn("webhook delivery outcome discarded: the row was taken over or deleted", fields);
  } else if (recorded === "failed") {
    log.warn("webhook delivery failed for good: retries exhausted", fields);
  } else if (recorded === "retrying") {
    log.info("webhook delivery failed; it will be retried", fields);
  } else {
    log.debug("webhook delivered", fields);
  }
}
