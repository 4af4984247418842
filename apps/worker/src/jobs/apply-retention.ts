import type { SqlClient } from "@plumbline/db/client";
import { listPredictionPartitions } from "@plumbline/db/partitions";

import { silentLogger, type Logger } from "../logger";

/**
 * Retention of raw predictions (docs/retention.md). Raw predictions are kept for each project's
 * `prediction_retention_days`, or the deployment's default; rollups (minute, hour, feature bins,
 * performance) are never touched here, so charts over older periods keep working.
 *
 * `predictions` is partitioned by UTC day for all projects together, so one run:
 * 1. drops every daily partition that ends before the LONGEST retention of any project (a
 *    whole day nobody keeps): cheap, no dead rows, no vacuum;
 * 2. for each project that keeps less than that, deletes its own rows older than its retention
 *    from the partitions that remain;
 * 3. deletes the dedup keys (`prediction_keys`) of what is gone.
 * Each partition and each project is handled on its own: one that fails is logged and counted,
 * and the others go on; the next run tries it again.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A partition drop needs a brief exclusive lock on `predictions`; while ingest writes, waiting
 * for it must not queue every writer behind the drop. Past this wait the drop gives up and the
 * next run tries again.
 */
const DROP_LOCK_TIMEOUT = "5s";

export interface RetentionOptions {
  /** PLUMBLINE_PREDICTION_RETENTION_DAYS: the days of a project without its own setting. */
  defaultRetentionDays: number;
  now?: () => Date;
  log?: Logger;
}

export interface RetentionRunSummary {
  droppedPartitions: string[];
  deletedPredictions: number;
  deletedKeys: number;
  /** Partitions and projects whose step failed this run (logged at error). */
  failed: string[];
}

export async function applyPredictionRetention(
  sql: SqlClient,
  options: RetentionOptions,
): Promise<RetentionRunSummary> {
  const log = options.log ?? silentLogger;
  const now = (options.now ?? (() => new Date()))();
  const summary: RetentionRunSummary = {
    droppedPartitions: [],
    deletedPredictions: 0,
    deletedKeys: 0,
    failed: [],
  };
  const projects = await sql<{ id: string; days: number }[]>`
    select id, coalesce(prediction_retention_days, ${options.defaultRetentionDays})::integer as days
    from projects
  `;
  const longestDays = projects.reduce(
    (longest, project) => Math.max(longest, project.days),
    projects.length === 0 ? options.defaultRetentionDays : 0,
  );
  const cutoffOf = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const partitionCutoff = cutoffOf(longestDays);

  for (const partition of await listPredictionPartitions(sql)) {
    if (partition.to.getTime() > partitionCutoff.getTime()) continue;
    try {
      await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${DROP_LOCK_TIMEOUT}, true)`;
        await tx`drop table if exists ${tx(partition.name)}`;
      });
      summary.droppedPartitions.push(partition.name);
    } catch (error) {
      summary.failed.push(`partition ${partition.name}`);
      log.error("could not drop an expired predictions partition; the next run retries", {
        partition: partition.name,
        err: error,
      });
    }
  }

  // Timestamps go in as ISO text: Drizzle, which shares this client, turns off its Date handling.
  for (const project of projects) {
    const cutoff = cutoffOf(project.days);
    try {
      if (project.days < longestDays) {
        const deleted = await sql`
          delete from predictions p
          using models m
          where m.id = p.model_id and m.project_id = ${project.id} and p.ts < ${cutoff.toISOString()}::timestamptz
        `;
        summary.deletedPredictions += deleted.count;
      }
      const keys = await sql`
        delete from prediction_keys k
        using models m
        where m.id = k.model_id and m.project_id = ${project.id} and k.ts < ${cutoff.toISOString()}::timestamptz
      `;
      summary.deletedKeys += keys.count;
    } catch (error) {
      summary.failed.push(`project ${project.id}`);
      log.error("could not apply a project's prediction retention; the next run retries", {
        projectId: project.id,
        retentionDays: project.days,
        err: error,
      });
    }
  }

  if (summary.droppedPartitions.length > 0 || summary.deletedPredictions > 0) {
    log.info("applied prediction retention", {
      droppedPartitions: summary.droppedPartitions,
      deletedPredictions: summary.deletedPredictions,
      deletedKeys: summary.deletedKeys,
      longestRetentionDays: longestDays,
    });
  }
  return summary;
}
