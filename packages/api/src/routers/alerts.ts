import { z } from "zod";

import { AlertState, Severity } from "@plumbline/contracts";
import type { AlertAction } from "@plumbline/monitors";

import { performAlertAction } from "../services/alerts/alert-actions";
import {
  countOpenAlerts,
  getAlert,
  listAlertMarkers,
  listAlerts,
} from "../services/alerts/alert-queries";
import { listMembers } from "../services/members/members";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const alertRef = z.object({ alertId: z.uuid() });

/** Every action needs `alert.acknowledge`; the lifecycle core decides whether it applies. */
const actionProcedure = permissionProcedure("alert.acknowledge");

function act(ctx: Parameters<typeof serviceContextOf>[0], alertId: string, action: AlertAction) {
  return performAlertAction(serviceContextOf(ctx), { alertId, action });
}

/** The alerts inbox and what people do with alerts. */
export const alertsRouter = createTRPCRouter({
  list: permissionProcedure("dashboard.read")
    .input(
      z.object({
        modelSlug: z.string().min(1).max(128).optional(),
        severity: Severity.optional(),
        states: z.array(AlertState).max(5).optional(),
        owner: z.union([z.uuid(), z.literal("unassigned")]).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        cursor: z.string().max(100).nullish(),
      }),
    )
    .query(({ ctx, input }) =>
      listAlerts(ctx.db, ctx.project.id, { ...input, cursor: input.cursor ?? undefined }),
    ),

  get: permissionProcedure("dashboard.read")
    .input(alertRef)
    .query(({ ctx, input }) => getAlert(ctx.db, ctx.project.id, input)),

  /** Open alerts that fired: the navigation badge. */
  openCount: permissionProcedure("dashboard.read").query(({ ctx }) =>
    countOpenAlerts(ctx.db, ctx.project.id),
  ),

  /** A model's alerts that fired in a range: markers on its charts. */
  markers: permissionProcedure("dashboard.read")
    .input(
      z.object({
        modelSlug: z.string().min(1).max(128),
        from: z.coerce.date(),
        to: z.coerce.date(),
      }),
    )
    .query(({ ctx, input }) => listAlertMarkers(ctx.db, ctx.project.id, input)),

  /** Who an alert can be assigned to: the project's members. */
  assignees: permissionProcedure("dashboard.read").query(async ({ ctx }) => {
    const seen = new Map<string, { id: string; name: string; email: string }>();
    for (const member of await listMembers(ctx.db, ctx.project.id)) {
      seen.set(member.userId, { id: member.userId, name: member.name, email: member.email });
    }
    return [...seen.values()];
  }),

  acknowledge: actionProcedure
    .input(alertRef)
    .mutation(({ ctx, input }) => act(ctx, input.alertId, { type: "acknowledge" })),

  snooze: actionProcedure
    .input(alertRef.extend({ until: z.coerce.date() }))
    .mutation(({ ctx, input }) => act(ctx, input.alertId, { type: "snooze", until: input.until })),

  resolve: actionProcedure
    .input(alertRef)
    .mutation(({ ctx, input }) => act(ctx, input.alertId, { type: "resolve" })),

  markFalseAlarm: actionProcedure
    .input(alertRef)
    .mutation(({ ctx, input }) => act(ctx, input.alertId, { type: "false_alarm" })),

  assign: actionProcedure
    .input(alertRef.extend({ ownerId: z.uuid().nullable() }))
    .mutation(({ ctx, input }) =>
      act(ctx, input.alertId, { type: "assign", ownerId: input.ownerId }),
    ),

  comment: actionProcedure
    .input(alertRef.extend({ body: z.string().max(4000) }))
    .mutation(({ ctx, input }) => act(ctx, input.alertId, { type: "comment", body: input.body })),
});
