import { z } from "zod";

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
const url = z.url({ protocol: /^https?$/ }).max(2000);
const webhookRef = z.object({ webhookId: z.uuid() });

/** Webhook subscriptions and their delivery log (approvers and admins). */
export const webhooksRouter = createTRPCRouter({
  list: permissionProcedure("webhook.manage").query(({ ctx }) =>
    listWebhooks(ctx.db, ctx.project.id),
  ),

  create: permissionProcedure("webhook.manage")
    .input(z.object({ url, eventTypes, description: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...webhook } = input;
      return createWebhook(serviceContextOf(ctx), webhook);
    }),

  update: permissionProcedure("webhook.manage")
    .input(
      webhookRef.extend({
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
