import { and, asc, eq } from "drizzle-orm";

import {
  judgeMeasurement,
  measureMetric,
  measurementDueAt,
  measurementWindow,
  metricPhase,
  runPhase,
  sideStatistic,
  tallyMeasurements,
  type AnalysisMetric,
  type AnalysisPhase,
  type JudgedMeasurement,
  type MeasuredValue,
  type MeasurementPhase,
  type SideSums,
} from "@plumbline/rollouts";
import type { DatabaseOrTransaction, Transaction } from "@plumbline/db/client";
import { analysisMeasurements, analysisRuns, type Deployment } from "@plumbline/db/schema";

import { versionLabelsOf } from "./deployment-record";
import { readSideSums, rollupWindow } from "./read-side-sums";

export type SideReader = (
  db: DatabaseOrTransaction,
  input: { modelId: string; version: string; from: Date; to: Date },
) => Promise<SideSums>;

export interface AnalysisAssessment {
  phase: AnalysisPhase;
  /** Why it ended (the deciding metric and its last reason); null while running. */
  message: string | null;
  /** Measurements taken by this call. */
  taken: number;
}

/**
 * Takes every measurement of the deployment's current analysis run that has come due by `now`,
 * in the caller's transaction (each row's primary key is its claim), and returns the run's phase
 * by Argo's rules. A failed read is an `error` measurement, not an exception: errors count
 * against `consecutiveErrorLimit` as in Argo. A metric that has concluded takes no more.
 */
export async function assessAnalysis(
  tx: Transaction,
  row: Deployment,
  now: Date,
  read: SideReader = readSideSums,
): Promise<AnalysisAssessment> {
  const [run] = await tx
    .select()
    .from(analysisRuns)
    .where(
      and(
        eq(analysisRuns.modelId, row.modelId),
        eq(analysisRuns.deploymentId, row.id),
        eq(analysisRuns.attempt, row.attempt),
        eq(analysisRuns.stepIndex, row.stepIndex),
      ),
    );
  if (!run) return { phase: "running", message: null, taken: 0 };
  if (run.phase !== "running") return { phase: run.phase, message: run.message, taken: 0 };
  const stored = await tx
    .select({
      metricName: analysisMeasurements.metricName,
      phase: analysisMeasurements.phase,
      reason: analysisMeasurements.reason,
    })
    .from(analysisMeasurements)
    .where(
      and(eq(analysisMeasurements.modelId, row.modelId), eq(analysisMeasurements.runId, run.id)),
    )
    .orderBy(asc(analysisMeasurements.measurementIndex));
  const labels = await versionLabelsOf(tx, row);
  // Metrics sharing a window read it once; only successful reads are kept, so a failed read is
  // retried by the next metric that needs it.
  const reads: SideReads = new Map();

  let taken = 0;
  const outcomes: {
    metric: AnalysisMetric;
    phase: AnalysisPhase;
    last: string | null;
    phases: MeasurementPhase[];
  }[] = [];
  for (const metric of run.metrics) {
    const mine = stored.filter((entry) => entry.metricName === metric.name);
    const phases = mine.map((entry) => entry.phase);
    let last = mine.at(-1)?.reason ?? null;
    while (
      metricPhase(metric, phases) === "running" &&
      measurementDueAt(metric, run.startedAt, phases.length) <= now
    ) {
      const index = phases.length;
      const window = measurementWindow(metric, run.startedAt, index);
      const { measured, canary, stable } = await measureOnce(
        tx,
        read,
        reads,
        row,
        labels,
        metric,
        window,
      );
      const judged: JudgedMeasurement = judgeMeasurement(metric, measured);
      await tx.insert(analysisMeasurements).values({
        modelId: row.modelId,
        runId: run.id,
        metricName: metric.name,
        measurementIndex: index,
        phase: judged.phase,
        value: measured.value !== null && Number.isFinite(measured.value) ? measured.value : null,
        canaryValue: canary ? sideStatistic(metric.kind, canary) : null,
        stableValue: stable ? sideStatistic(metric.kind, stable) : null,
        canarySamples: Math.round(measured.canarySamples),
        stableSamples: Math.round(measured.stableSamples),
        successCondition: metric.successCondition,
        failureCondition: metric.failureCondition,
        reason: judged.reason,
        windowStart: window.from,
        windowEnd: window.to,
        measuredAt: now,
      });
      phases.push(judged.phase);
      last = judged.reason;
      taken += 1;
    }
    outcomes.push({ metric, phase: metricPhase(metric, phases), last, phases });
  }
  const phase = runPhase(outcomes.map((outcome) => outcome.phase));
  const deciding = outcomes.find((outcome) => outcome.phase === phase && phase !== "successful");
  const message =
    phase === "running" || phase === "successful" || !deciding
      ? null
      : describeOutcome(deciding.metric, deciding.phase, deciding.phases, deciding.last);
  if (phase !== "running") {
    await tx
      .update(analysisRuns)
      .set({ phase, message, finishedAt: now })
      .where(and(eq(analysisRuns.id, run.id), eq(analysisRuns.phase, "running")));
  }
  return { phase, message, taken };
}

function describeOutcome(
  metric: AnalysisMetric,
  phase: AnalysisPhase,
  phases: MeasurementPhase[],
  last: string | null,
): string {
  const tally = tallyMeasurements(phases);
  const counts = {
    failed: `${tally.failed} failed (failureLimit ${metric.failureLimit})`,
    inconclusive: `${tally.inconclusive} inconclusive (inconclusiveLimit ${metric.inconclusiveLimit})`,
    error: `${tally.consecutiveError} errors in a row (consecutiveErrorLimit ${metric.consecutiveErrorLimit})`,
  } as Record<AnalysisPhase, string>;
  return `${metric.name} ${phase}: ${counts[phase] ?? ""}${last ? `; last: ${last}` : ""}`;
}

/** Successful canary and stable reads of one assessAnalysis call, keyed by their rollup span. */
type SideReads = Map<string, { canary: SideSums; stable: SideSums }>;

async function measureOnce(
  tx: Transaction,
  read: SideReader,
  reads: SideReads,
  row: Deployment,
  labels: { candidate: string; stable: string | null },
  metric: AnalysisMetric,
  window: { from: Date; to: Date },
): Promise<{ measured: MeasuredValue; canary: SideSums | null; stable: SideSums | null }> {
  if (labels.stable === null) {
    return {
      measured: {
        value: null,
        canarySamples: 0,
        stableSamples: 0,
      },
      canary: null,
      stable: null,
    };
  }
  const span = rollupWindow(window);
  const key = `${span.from.getTime()}:${span.to.getTime()}`;
  try {
    let sides = reads.get(key);
    if (!sides) {
      // A savepoint: a failed read rolls back to it and becomes an `error` measurement, and the
      // step's transaction goes on.
      sides = await tx.transaction(async (savepoint) => ({
        canary: await read(savepoint, { modelId: row.modelId, version: labels.candidate, ...span }),
        stable: await read(savepoint, { modelId: row.modelId, version: labels.stable!, ...span }),
      }));
      reads.set(key, sides);
    }
    return { measured: measureMetric(metric.kind, sides.canary, sides.stable), ...sides };
  } catch (error) {
    return {
      measured: {
        value: null,
        canarySamples: 0,
        stableSamples: 0,
        error: error instanceof Error ? error.message : String(error),
      },
      canary: null,
      stable: null,
    };
  }
}
