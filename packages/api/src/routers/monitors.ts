import { z } from "zod";

import { MonitorSettings } from "@plumbline/contracts";

import {
  createMonitor,
  deleteMonitor,
  getMonitor,
  listMonitors,
  listNotificationChannels,
  setMonitorEnabled,
  updateMonitor,
} from "../services/monitors/manage-monitors";
import { findDashboardModel } from "../services/dashboard/find-dashboard-model";
import { approveMute, cancelMute, createMute } from "../services/monitors/mutes";
import { previewMonitor } from "../services/monitors/preview-monitor";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const modelRef = z.object({ modelSlug: z.string().min(1).max(128) });
const monitorRef = z.object({ monitorId: z.uuid() });
const muteRef = z.object({ muteId: z.uuid() });

/** A model's monitors (everyone reads; engineers and up change), their mutes and preview. */
export const monitorsRouter = createTRPCRouter({
  list: permissionProcedure("dashboard.read")
    .input(modelRef)
    .query(({ ctx, input }) => listMonitors(ctx.db, ctx.project.id, input, new Date())),

  get: permissionProcedure("dashboard.read")
    .input(monitorRef)
    .query(({ ctx, input }) => getMonitor(ctx.db, ctx.project.id, input, new Date())),

  /** The project's channels a monitor can route its alerts to (labels only, no URLs). */
  channels: permissionProcedure("dashboard.read").query(({ ctx }) =>
    listNotificationChannels(ctx.db, ctx.project.id),
  ),

  create: permissionProcedure("monitor.write")
    .input(modelRef.extend({ settings: MonitorSettings }))
    .mutation(({ ctx, input }) =>
      createMonitor(serviceContextOf(ctx), {
        modelSlug: input.modelSlug,
        settings: input.settings,
      }),
    ),

  update: permissionProcedure("monitor.write")
    .input(monitorRef.extend({ settings: MonitorSettings }))
    .mutation(({ ctx, input }) =>
      updateMonitor(serviceContextOf(ctx), {
        monitorId: input.monitorId,
        settings: input.settings,
      }),
    ),

  setEnabled: permissionProcedure("monitor.write")
    .input(monitorRef.extend({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setMonitorEnabled(serviceContextOf(ctx), {
        monitorId: input.monitorId,
        enabled: input.enabled,
      }),
    ),

  delete: permissionProcedure("monitor.write")
    .input(monitorRef)
    .mutation(({ ctx, input }) =>
      deleteMonitor(serviceContextOf(ctx), { monitorId: input.monitorId }),
    ),

  /** What these settings would have done over the last 7 days, before they are saved. */
  preview: permissionProcedure("monitor.write")
    .input(modelRef.extend({ settings: MonitorSettings }))
    .mutation(async ({ ctx, input }) => {
      const model = await findDashboardModel(ctx.db, ctx.project.id, input.modelSlug);
      return previewMonitor(ctx.db, {
        projectId: ctx.project.id,
        modelId: model.id,
        settings: input.settings,
        now: new Date(),
      });
    }),

  mute: permissionProcedure("monitor.write")
    .input(
      monitorRef.extend({
        startsAt: z.coerce.date(),
        endsAt: z.coerce.date(),
        reason: z.string().trim().min(1, "say why it is muted").max(500),
      }),
    )
    .mutation(({ ctx, input }) =>
      createMute(serviceContextOf(ctx), {
        monitorId: input.monitorId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason: input.reason,
      }),
    ),

  approveMute: permissionProcedure("monitor.approve_mute")
    .input(muteRef)
    .mutation(({ ctx, input }) => approveMute(serviceContextOf(ctx), { muteId: input.muteId })),

  cancelMute: permissionProcedure("monitor.write")
    .input(muteRef)
    .mutation(({ ctx, input }) => cancelMute(serviceContextOf(ctx), { muteId: input.muteId })),
});
