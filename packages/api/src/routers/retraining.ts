import { asc, eq } from "drizzle-orm";
import { z } from "zod";

import { NotificationChannel, Severity } from "@plumbline/contracts";
import { monitors, webhooks } from "@plumbline/db/schema";

import {
  getRetrainingPolicy,
  listRetrainingDeliveries,
  triggerRetrainingByHand,
  upsertRetrainingPolicy,
} from "../services/alerts/retraining";
import { findModel } from "../services/registry/models";
import { withRetryingTransaction } from "../services/transactions";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const modelRef = z.object({ modelSlug: z.string().min(1).max(128) });

/** Where a channel sends, without what makes the URL a secret (a Slack URL's path is its key). */
function destinationOf(channel: string, url: string): string {
  if (channel === "email") return url.replace(/^mailto:/i, "");
  return URL.canParse(url) ? new URL(url).host : "";
}

function masked<T extends { channel: string; url: string }>({ url, ...rest }: T) {
  return { ...rest, destination: destinationOf(rest.channel, url) };
}

/** A model's retraining trigger: its policy, requests by hand from an alert, their deliveries. */
export const retrainingRouter = createTRPCRouter({
  /**
   * The policy (null when none), and what its form chooses from: the model's monitors and the
   * project's channels (named by kind, description and host; never a full URL or secret).
   */
  getPolicy: permissionProcedure("dashboard.read")
    .input(modelRef)
    .query(async ({ ctx, input }) => {
      const model = await findModel(ctx.db, ctx.project.id, input.modelSlug);
      const [policy, modelMonitors, channels] = await Promise.all([
        getRetrainingPolicy(ctx.db, ctx.project.id, model.id),
        ctx.db
          .select({ id: monitors.id, name: monitors.name, metric: monitors.metric })
          .from(monitors)
          .where(eq(monitors.modelId, model.id))
          .orderBy(asc(monitors.name)),
        ctx.db
          .select({
            id: webhooks.id,
            channel: webhooks.channel,
            url: webhooks.url,
            description: webhooks.description,
            active: webhooks.active,
          })
          .from(webhooks)
          .where(eq(webhooks.projectId, ctx.project.id))
          .orderBy(asc(webhooks.createdAt)),
      ]);
      return {
        model: { id: model.id, slug: model.slug, name: model.name },
        policy: policy && { ...policy, channel: masked(policy.channel) },
        monitors: modelMonitors,
        channels: channels.map(masked),
      };
    }),

  upsertPolicy: permissionProcedure("retraining.trigger")
    .input(
      modelRef.extend({
        enabled: z.boolean(),
        monitorIds: z.array(z.uuid()).max(200),
        minSeverity: Severity,
        // Up to 30 days: a longer silence is a switched-off policy.
        cooldownMinutes: z.number().int().min(0).max(43_200),
        channelId: z.uuid().optional(),
        newChannel: z
          .object({
            channel: NotificationChannel.default("webhook"),
            url: z.string().trim().min(1).max(2000),
            description: z.string().max(500).optional(),
          })
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { projectSlug: _, modelSlug, ...policy } = input;
      const model = await findModel(ctx.db, ctx.project.id, modelSlug);
      const { policy: saved, createdChannel } = await upsertRetrainingPolicy(
        serviceContextOf(ctx),
        { modelId: model.id, ...policy },
      );
      return {
        policy: { ...saved, channel: masked(saved.channel) },
        /** The new channel's signing secret, shown this once. */
        createdChannelSecret: createdChannel?.secret ?? null,
      };
    }),

  triggerFromAlert: permissionProcedure("retraining.trigger")
    .input(z.object({ alertId: z.uuid() }))
    .mutation(({ ctx, input }) => {
      const service = serviceContextOf(ctx);
      return withRetryingTransaction(ctx.db, (tx) =>
        triggerRetrainingByHand(tx, {
          alertId: input.alertId,
          actor: service.actor,
          projectId: ctx.project.id,
        }),
      );
    }),

  deliveries: permissionProcedure("dashboard.read")
    .input(modelRef.extend({ limit: z.number().int().min(1).max(200).optional() }))
    .query(async ({ ctx, input }) => {
      const model = await findModel(ctx.db, ctx.project.id, input.modelSlug);
      const rows = await listRetrainingDeliveries(ctx.db, ctx.project.id, {
        modelId: model.id,
        limit: input.limit,
      });
      return rows.map(({ url, ...row }) => ({
        ...row,
        destination: row.channel && url ? destinationOf(row.channel, url) : null,
      }));
    }),
});
