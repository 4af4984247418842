import { sql } from "drizzle-orm";

import { appendAudit, type AuditActor } from "@plumbline/db/audit";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { monitors, type Monitor } from "@plumbline/db/schema";
import { defaultCatalog, type CatalogTask } from "@plumbline/monitors";

/**
 * Creates the default catalog of monitors for a model (docs/monitors.md), inside the caller's
 * transaction. Idempotent: the unique index on (model, catalog key) turns a second creation
 * (registration, then the worker's sweep, or two sweeps at once) into nothing. Returns the
 * monitors it created.
 */
export async function createDefaultMonitors(
  tx: DatabaseOrTransaction,
  input: { projectId: string; modelId: string; task: CatalogTask; createdBy: string | null },
): Promise<Monitor[]> {
  const rows = defaultCatalog(input.task).map(({ catalogKey, settings }) => ({
    projectId: input.projectId,
    modelId: input.modelId,
    catalogKey,
    createdBy: input.createdBy,
    name: settings.name,
    metric: settings.metric,
    statistic: settings.statistic,
    feature: settings.feature,
    threshold: settings.threshold,
    bucketMinutes: settings.bucketMinutes,
    windowMinutes: settings.windowMinutes,
    minSamples: settings.minSamples,
    breachesToFire: settings.breachesToFire,
    healthyToResolve: settings.healthyToResolve,
    scope: settings.scope,
    notify: settings.notify,
    enabled: settings.enabled,
  }));
  return tx
    .insert(monitors)
    .values(rows)
    .onConflictDoNothing({
      target: [monitors.modelId, monitors.catalogKey],
      where: sql`${monitors.catalogKey} is not null`,
    })
    .returning();
}

/**
 * Gives every model that has no monitor at all its default catalog, each in a transaction with
 * its audit row: models registered before monitors existed (the demo's, older installs). A
 * model whose monitors someone deleted on purpose keeps what it has, as long as one remains.
 */
export async function createMissingDefaultMonitors(
  db: DatabaseOrTransaction,
  actor: AuditActor = { type: "system", id: "monitor-evaluation" },
): Promise<{ modelId: string; projectId: string; created: number }[]> {
  const bare = await db.execute<{ id: string; project_id: string; task: CatalogTask }>(sql`
    select m.id, m.project_id, m.task from models m
    where not exists (select 1 from monitors where monitors.model_id = m.id)`);
  const created: { modelId: string; projectId: string; created: number }[] = [];
  for (const model of bare) {
    const rows = await db.transaction(async (tx) => {
      const inserted = await createDefaultMonitors(tx, {
        projectId: model.project_id,
        modelId: model.id,
        task: model.task,
        createdBy: null,
      });
      // Two workers sweeping at once: the second creates nothing and records nothing.
      if (inserted.length > 0) {
        await appendAudit(tx, actor, {
          projectId: model.project_id,
          action: "monitor.catalog_created",
          resourceType: "model",
          resourceId: model.id,
          after: { monitors: inserted.map((monitor) => monitor.catalogKey) },
        });
      }
      return inserted;
    });
    if (rows.length > 0) {
      created.push({ modelId: model.id, projectId: model.project_id, created: rows.length });
    }
  }
  return created;
}
