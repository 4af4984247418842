import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  lte,
  or,
  sql,
  type SQL,
} from "drizzle-orm";

import type { AlertState, Severity } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import {
  alertEvents,
  alerts,
  auditLog,
  environments,
  models,
  modelVersions,
  monitors,
  promotionRequests,
  users,
} from "@plumbline/db/schema";

import { notFound, ServiceError } from "../service-error";

/**
 * What people read about alerts: the inbox, one alert with everything around it, and the
 * count in the navigation. Reads only; actions are in alert-actions.ts.
 */

/** The inbox's default: alerts that fired and are still open. */
export const INBOX_DEFAULT_STATES = [
  "firing",
  "acknowledged",
  "snoozed",
] as const satisfies readonly AlertState[];

export interface AlertListInput {
  modelSlug?: string;
  severity?: Severity;
  /** Omitted: the open alerts that fired. `resolved` lists resolved ones, `pending` unfired ones. */
  states?: AlertState[];
  /** A user id, or `unassigned`. */
  owner?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** The moment an alert is sorted by: when it fired, or first breached if it never did. */
const sortedAt = sql<Date>`coalesce(${alerts.firedAt}, ${alerts.firstBreachedAt})`;

function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split("|");
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new ServiceError("BAD_REQUEST", "invalid_cursor", "cursor: not a cursor this list gave.");
  }
  return { at: date, id };
}

const owner = aliasedTable(users, "owner");

/** The inbox: newest first, filtered, in pages of `limit` (50 by default). */
export async function listAlerts(db: Database, projectId: string, input: AlertListInput) {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const states = input.states && input.states.length > 0 ? input.states : null;
  const filters: SQL[] = [eq(alerts.projectId, projectId)];
  if (states) filters.push(inArray(alerts.state, states));
  else filters.push(inArray(alerts.state, [...INBOX_DEFAULT_STATES]), isNotNull(alerts.firedAt));
  if (input.modelSlug) filters.push(eq(models.slug, input.modelSlug));
  if (input.severity) filters.push(eq(alerts.severity, input.severity));
  if (input.owner === "unassigned") filters.push(sql`${alerts.ownerId} is null`);
  else if (input.owner) filters.push(eq(alerts.ownerId, input.owner));
  if (input.cursor) {
    const { at, id } = parseCursor(input.cursor);
    filters.push(
      sql`(${sortedAt}, ${alerts.id}) < (${at.toISOString()}::timestamptz, ${id}::uuid)`,
    );
  }

  const rows = await db
    .select({
      id: alerts.id,
      state: alerts.state,
      severity: alerts.severity,
      resolution: alerts.resolution,
      feature: alerts.feature,
      version: alerts.version,
      deployment: alerts.deployment,
      segment: alerts.segment,
      value: alerts.value,
      details: alerts.details,
      rebreachCount: alerts.rebreachCount,
      firedAt: alerts.firedAt,
      firstBreachedAt: alerts.firstBreachedAt,
      resolvedAt: alerts.resolvedAt,
      snoozedUntil: alerts.snoozedUntil,
      windowStart: alerts.windowStart,
      windowEnd: alerts.windowEnd,
      sortedAt,
      model: { id: models.id, slug: models.slug, name: models.name },
      monitor: {
        id: monitors.id,
        name: monitors.name,
        metric: monitors.metric,
        statistic: monitors.statistic,
        threshold: monitors.threshold,
      },
      ownerId: alerts.ownerId,
      ownerName: owner.name,
    })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .innerJoin(monitors, eq(monitors.id, alerts.monitorId))
    .leftJoin(owner, eq(owner.id, alerts.ownerId))
    .where(and(...filters))
    .orderBy(desc(sortedAt), desc(alerts.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    alerts: page.map(({ sortedAt: _, ...row }) => row),
    nextCursor:
      rows.length > limit && last ? `${new Date(last.sortedAt).toISOString()}|${last.id}` : null,
  };
}

/** Open alerts that fired: the number on the navigation's Alerts link. */
export async function countOpenAlerts(db: Database, projectId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(alerts)
    .where(
      and(
        eq(alerts.projectId, projectId),
        inArray(alerts.state, [...INBOX_DEFAULT_STATES]),
        isNotNull(alerts.firedAt),
      ),
    );
  return row?.count ?? 0;
}

/** One feature's drift as the evaluation recorded it in `alert.details`. */
export interface DriftingFeature {
  feature: string;
  status: string | null;
  js: number | null;
  psi: number | null;
  pValue: number | null;
}

const finite = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

/**
 * The top drifting features of an alert, worst (largest JS) first, read leniently from
 * `details.features` (or `details.topFeatures`): entries with a `feature` name and any of
 * `js` (or `jsDistance`), `psi`, `pValue`, `status`. Anything else in details is ignored.
 */
export function driftingFeaturesOf(
  details: Record<string, unknown>,
  limit = 10,
): DriftingFeature[] {
  // A per-feature drift alert records its own feature's statistics as `details.reading`.
  const list = Array.isArray(details.features)
    ? details.features
    : Array.isArray(details.topFeatures)
      ? details.topFeatures
      : details.reading && typeof details.reading === "object"
        ? [details.reading]
        : [];
  const features: DriftingFeature[] = [];
  for (const entry of list as unknown[]) {
    if (entry === null || typeof entry !== "object") continue;
    const item = entry as Record<string, unknown>;
    if (typeof item.feature !== "string") continue;
    features.push({
      feature: item.feature,
      status: typeof item.status === "string" ? item.status : null,
      // The evaluation records `jsDistance`, as the drift package names it.
      js: finite(item.js) ?? finite(item.jsDistance),
      psi: finite(item.psi),
      pValue: finite(item.pValue),
    });
  }
  return features.sort((a, b) => (b.js ?? -1) - (a.js ?? -1)).slice(0, limit);
}

/** How far around the triggering window promotions count as "nearby". */
export const NEARBY_PROMOTION_MS = 24 * 60 * 60 * 1000;

/**
 * One alert with its monitor, model, owner, timeline (with the actors' names), top drifting
 * features and the model's promotion events within a day of the triggering window.
 */
export async function getAlert(db: Database, projectId: string, input: { alertId: string }) {
  const [row] = await db
    .select({
      alert: alerts,
      model: { id: models.id, slug: models.slug, name: models.name },
      monitor: monitors,
    })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .innerJoin(monitors, eq(monitors.id, alerts.monitorId))
    .where(and(eq(alerts.id, input.alertId), eq(alerts.projectId, projectId)));
  if (!row) throw notFound("alert");
  const { alert } = row;

  const from = new Date(alert.windowStart.getTime() - NEARBY_PROMOTION_MS);
  const to = new Date(alert.windowEnd.getTime() + NEARBY_PROMOTION_MS);
  const actor = aliasedTable(users, "actor");

  const [timeline, promotions, ownerRow] = await Promise.all([
    db
      .select({
        id: alertEvents.id,
        kind: alertEvents.kind,
        body: alertEvents.body,
        details: alertEvents.details,
        occurredAt: alertEvents.occurredAt,
        actorId: alertEvents.actorId,
        actorName: actor.name,
      })
      .from(alertEvents)
      .leftJoin(actor, eq(actor.id, alertEvents.actorId))
      .where(eq(alertEvents.alertId, alert.id))
      .orderBy(asc(alertEvents.occurredAt), asc(alertEvents.id)),
    db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        occurredAt: auditLog.occurredAt,
        promotionId: promotionRequests.id,
        version: modelVersions.version,
        environment: environments.name,
        state: promotionRequests.state,
      })
      .from(auditLog)
      .innerJoin(
        promotionRequests,
        and(
          eq(auditLog.resourceType, "promotion_request"),
          eq(auditLog.resourceId, sql`${promotionRequests.id}::text`),
        ),
      )
      .innerJoin(modelVersions, eq(modelVersions.id, promotionRequests.modelVersionId))
      .innerJoin(environments, eq(environments.id, promotionRequests.environmentId))
      .where(
        and(
          eq(auditLog.projectId, projectId),
          eq(promotionRequests.modelId, alert.modelId),
          gte(auditLog.occurredAt, from),
          lte(auditLog.occurredAt, to),
          // The moves people care about next to an alert, not every gate bookkeeping row.
          or(
            eq(auditLog.action, "promotion.requested"),
            eq(auditLog.action, "promotion.approved"),
            eq(auditLog.action, "promotion.deploying"),
            eq(auditLog.action, "promotion.promoted"),
            eq(auditLog.action, "promotion.rolled_back"),
            eq(auditLog.action, "promotion.break_glass"),
          ),
        ),
      )
      .orderBy(asc(auditLog.occurredAt))
      .limit(50),
    alert.ownerId
      ? db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(eq(users.id, alert.ownerId))
      : Promise.resolve([]),
  ]);

  return {
    alert,
    model: row.model,
    monitor: row.monitor,
    owner: ownerRow[0] ?? null,
    window: { start: alert.windowStart, end: alert.windowEnd },
    topFeatures: driftingFeaturesOf(alert.details),
    timeline,
    promotions,
  };
}

/** Alerts of one model that fired in a time range, for the markers on its charts. */
export async function listAlertMarkers(
  db: Database,
  projectId: string,
  input: { modelSlug: string; from: Date; to: Date },
) {
  return db
    .select({
      id: alerts.id,
      severity: alerts.severity,
      state: alerts.state,
      feature: alerts.feature,
      firedAt: alerts.firedAt,
      resolvedAt: alerts.resolvedAt,
      monitorName: monitors.name,
      metric: monitors.metric,
    })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .innerJoin(monitors, eq(monitors.id, alerts.monitorId))
    .where(
      and(
        eq(alerts.projectId, projectId),
        eq(models.slug, input.modelSlug),
        isNotNull(alerts.firedAt),
        gte(alerts.firedAt, input.from),
        lte(alerts.firedAt, input.to),
      ),
    )
    .orderBy(asc(alerts.firedAt))
    .limit(500);
}
