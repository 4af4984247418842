import { tracked } from "@trpc/server";
import { z } from "zod";

import { ModelSlug } from "@plumbline/contracts";

import { coalescedEvents } from "../../services/dashboard/coalesced-events";
import { findDashboardModel } from "../../services/dashboard/find-dashboard-model";
import { ingestNotificationHubOf } from "../../services/dashboard/ingest-notifications";
import { permissionProcedure } from "../../trpc";

/** At most one event per subscriber per this many milliseconds. */
export const LIVE_MIN_INTERVAL_MS = 250;

/**
 * Server-sent events: `{ at }` each time ingest commits data for the model (coalesced), for
 * the client to refetch its queries. Each event is `tracked` by its time, so a reconnecting
 * client sends `lastEventId` and gets one event at once for what it may have missed.
 */
export const liveProcedure = permissionProcedure("dashboard.read")
  .input(z.object({ modelSlug: ModelSlug, lastEventId: z.string().nullish() }))
  .subscription(async function* ({ ctx, input, signal }) {
    const model = await findDashboardModel(ctx.db, ctx.project.id, input.modelSlug);
    const hub = ingestNotificationHubOf(ctx.db);
    const events = coalescedEvents({
      subscribe: (trigger) => hub.subscribe(model.id, trigger),
      signal: signal ?? new AbortController().signal,
      minIntervalMs: LIVE_MIN_INTERVAL_MS,
      emitFirst: Boolean(input.lastEventId),
    });
    for await (const at of events) {
      const iso = at.toISOString();
      yield tracked(iso, { at: iso });
    }
  });
