import { and, eq } from "drizzle-orm";

import { MonitorSettings, type Severity } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import { models } from "@plumbline/db/schema";
import { applyVerdict, latestBucketEnd, type AlertSnapshot } from "@plumbline/monitors";

import { notFound, ServiceError } from "../service-error";
import {
  judgeMonitorReadings,
  outcomeOf,
  storedReading,
  type EvaluationOutcome,
} from "./judge-monitor";
import { readMonitor, targetKey } from "./read-monitor";
import { ReadingCache } from "./reading-cache";

const MINUTE_MS = 60_000;
/** How far back a preview replays. */
export const PREVIEW_SPAN_MS = 7 * 24 * 60 * MINUTE_MS;
/** A 1-minute monitor over 7 days would be 10,080 buckets: the preview keeps the latest 2,016. */
export const MAX_PREVIEW_BUCKETS = 2016;

export interface PreviewBucket {
  bucketEnd: Date;
  outcome: EvaluationOutcome;
  readings: Record<string, unknown>[];
}

export interface PreviewFiring {
  firedAt: Date;
  /** When it would have resolved by itself; null when it would still be open. */
  resolvedAt: Date | null;
  /** The worst severity it reached. */
  severity: Severity;
  /** The feature, or null for the whole model. */
  target: string | null;
}

export interface MonitorPreview {
  buckets: PreviewBucket[];
  firings: PreviewFiring[];
}

/**
 * Replays unsaved settings over the last 7 days of rollups, bucket by bucket, through the same
 * readers, judge and lifecycle as the evaluation pass, and writes nothing: what the monitor
 * would have evaluated and when it would have fired. The readers query each rollup source once
 * for the whole 7 days (plus what baselines and bands need) and re-bucket in memory. Mute
 * windows and people's actions (acknowledge, snooze) are not replayed: the preview answers
 * "how noisy are these settings", not "what happened".
 */
export async function previewMonitor(
  db: Database,
  input: { projectId: string; modelId: string; settings: unknown; now: Date },
): Promise<MonitorPreview> {
  const parsed = MonitorSettings.safeParse(input.settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new ServiceError(
      "BAD_REQUEST",
      "invalid_monitor_settings",
      `Invalid monitor settings: ${problems.join("; ")}`,
    );
  }
  const settings = parsed.data;
  const model = await db.query.models.findFirst({
    where: and(eq(models.id, input.modelId), eq(models.projectId, input.projectId)),
    columns: { id: true, projectId: true, task: true },
  });
  if (!model) throw notFound(`model ${input.modelId} in this project`);

  const bucketMs = settings.bucketMinutes * MINUTE_MS;
  const last = latestBucketEnd(input.now, settings.bucketMinutes).getTime();
  const first = Math.max(
    last - PREVIEW_SPAN_MS + bucketMs,
    last - (MAX_PREVIEW_BUCKETS - 1) * bucketMs,
  );
  const ends: Date[] = [];
  for (let end = first; end <= last; end += bucketMs) ends.push(new Date(end));

  const reads = await readMonitor({ db, cache: new ReadingCache() }, model, settings, ends);
  const guards = {
    breachesToFire: settings.breachesToFire,
    healthyToResolve: settings.healthyToResolve,
  };
  const open = new Map<string, { snapshot: AlertSnapshot; firing: PreviewFiring | null }>();
  const firings: PreviewFiring[] = [];
  const buckets: PreviewBucket[] = [];

  for (const read of reads) {
    const judgements = judgeMonitorReadings(settings, read);
    buckets.push({
      bucketEnd: read.bucketEnd,
      outcome: outcomeOf(judgements, false),
      readings: judgements.map(storedReading),
    });
    for (const { reading, judgement } of judgements) {
      const key = targetKey(reading);
      const current = open.get(key) ?? null;
      if (!current && judgement.verdict.kind !== "breach") continue;
      const change = applyVerdict(
        current?.snapshot ?? null,
        judgement.verdict,
        guards,
        read.bucketEnd,
      );
      if (!change.alert) continue;
      let firing = current?.firing ?? null;
      if (change.events.includes("fired")) {
        firing = {
          firedAt: read.bucketEnd,
          resolvedAt: null,
          severity: change.alert.severity,
          target: reading.feature,
        };
        firings.push(firing);
      } else if (firing) {
        firing.severity = change.alert.severity;
      }
      if (change.alert.state === "resolved") {
        if (firing) firing.resolvedAt = read.bucketEnd;
        open.delete(key);
      } else {
        open.set(key, { snapshot: change.alert, firing });
      }
    }
  }
  return { buckets, firings };
}
