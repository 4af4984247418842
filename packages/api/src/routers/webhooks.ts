import { z } from "zod";

import { NotificationChannel } from "@plumbline/contracts";
import {
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "@plumbline/governance";

import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from "../services/webhooks/event-types";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
} from "../services/webhooks/webhooks";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const eventTypes = z.array(z.enum([...WEBHOOK_EVENT_TYPES, ALL_EVENTS])).min(1);
/**
 * An http(s) URL, or a `mailto:` URI for an email channel: which one the channel needs is the
 * service's check (it knows the channel of an existing row on update).
 */
const url = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => /^(https?:\/\/|mailto:)/i.test(value), {
    message: "an http(s) URL, or mailto: recipients for an email channel",
  });
const webhookRef = z.object({ webhookId: z.uuid() });

/**
 * How a receiver checks a delivery, returned with the secret so that the one screen that shows
 * the secret can also name the headers (from governance's signer, never a copy of them).
 */
const verification = {
  algorithm: "HMAC-SHA256",
  signatureHeader: SIGNATURE_HEADER,
  timestampHeader: TIMESTAMP_HEADER,
  deliveryHeader: DELIVERY_HEADER,
  signedContent: "{timestamp}.{deliveryId}.{body}",
  toleranceSeconds: DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
} as const;

/** Webhook subscriptions and their delivery log (approvers and admins). */
export const webhooksRouter = createTRPCRouter({
  list: permissionProcedure("webhook.manage").query(({ ctx }) =>
    listWebhooks(ctx.db, ctx.project.id),
  ),

  create: permissionProcedure("webhook.manage")
    .input(
      z.object({
        channel: NotificationChannel.optional(),
        url,
        eventTypes,
        description: z.string().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { projectSlug: _, ...webhook } = input;
      return { ...(await createWebhook(serviceContextOf(ctx), webhook)), verification };
    }),

  update: permissionProcedure("webhook.manage")
    .input(
      webhookRef.extend({
        channel: NotificationChannel.optional(),
        url: url.optional(),
        eventTypes: eventTypes.optional(),
        description: z.string().max(500).optional(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...changes } = input;
      return updateWebhook(serviceContextOf(ctx), changes);
    }),

  delete: permissionProcedure("webhook.manage")
    .input(webhookRef)
    .mutation(({ ctx, input }) => deleteWebhook(serviceContextOf(ctx), input)),

  deliveries: permissionProcedure("webhook.manage")
    .input(webhookRef)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.project.id, input)),
});
