/**
 * The demo's traffic simulator: logs realistic credit-risk predictions through `@plumbline/sdk`
 * to the real ingest API with a real API key, the way an inference service would.
 *
 * - On start it uploads a training baseline for each version (SIMULATOR_BASELINE_ROWS, default
 *   4000 rows from the training distribution, the same every run), so drift has a reference.
 * - Then it backfills the last hour (SIMULATOR_BACKFILL_MINUTES, default 60) so the dashboard
 *   has history at once. The backfill is deterministic (seeded by the minute, with stable
 *   prediction ids), so a restarted demo re-sends the same records and ingest counts them as
 *   duplicates instead of storing them twice.
 * - Volume follows a compressed daily cycle (a 10-minute period) with noise, 20-60 records/s.
 * - Version 1 serves as `stable`; version 2 takes about 10% as `canary`.
 * - A slow drift episode: from the third minute, applicants' income falls and credit
 *   utilisation rises over ten minutes, then recover; default scores rise with them.
 * - About 0.5% of requests end in a serving error.
 * - Delayed labels: about 80% of predictions learn whether the applicant defaulted, 2 s to
 *   10 min later (median 40 s), the backfilled ones too (seeded like their predictions). Most
 *   agree with the prediction; the canary and the drift episode do a little worse.
 *
 * Env: PLUMBLINE_INGEST_URL (default http://localhost:3001), PLUMBLINE_API_KEY (required, with
 * the predictions:write, labels:write and baselines:write scopes), SIMULATOR_RATE (mean records
 * per second, default 40).
 */
import { PlumblineClient } from "@plumbline/sdk";

import {
  gaussian,
  makeRecord,
  makeTrainingRows,
  seededRandom,
  type DemoVersion,
  type Random,
} from "./credit-risk-traffic";
import { drawLabel, LabelSchedule, type DemoLabel } from "./delayed-labels";

const ingestUrl = process.env.PLUMBLINE_INGEST_URL ?? "http://localhost:3001";
const apiKey = process.env.PLUMBLINE_API_KEY;
const meanRate = Number(process.env.SIMULATOR_RATE ?? 40);
const backfillMinutes = Number(process.env.SIMULATOR_BACKFILL_MINUTES ?? 60);
const baselineRows = Number(process.env.SIMULATOR_BASELINE_ROWS ?? 4000);
if (!apiKey) {
  console.error("PLUMBLINE_API_KEY is not set: the simulator posts with a real API key.");
  process.exit(2);
}

const MODEL_ID = "credit-risk";
const VERSIONS: readonly DemoVersion[] = ["1", "2"];
/** Labels waiting for their time: 10 minutes at twice the mean rate fit. */
const MAX_PENDING_LABELS = 100_000;

const startedAt = Date.now();

/** 0 before minute 2, ramps to 1 by minute 12, holds, and recovers by minute 25; repeats. */
function driftLevel(now: number): number {
  const minutes = ((now - startedAt) / 60_000) % 30;
  if (minutes < 2) return 0;
  if (minutes < 12) return (minutes - 2) / 10;
  if (minutes < 18) return 1;
  if (minutes < 25) return 1 - (minutes - 18) / 7;
  return 0;
}

const client = new PlumblineClient({
  endpoint: ingestUrl,
  apiKey,
  onError: (event) =>
    console.error(`simulator: ${event.type}: ${JSON.stringify(event).slice(0, 300)}`),
});
const schedule = new LabelSchedule(MAX_PENDING_LABELS);
let labelsLogged = 0;

/** Volume follows a compressed day: a 10-minute cycle around the mean rate. */
function recordsInSecond(random: Random, second: number): number {
  const cycle = Math.sin((2 * Math.PI * second) / 600);
  return Math.max(5, Math.round(meanRate * (1 + 0.45 * cycle) + 4 * gaussian(random)));
}

function logLabel(label: DemoLabel) {
  client.logLabel({
    prediction_id: label.predictionId,
    model: label.model,
    actual: label.actual,
    observed_at: new Date(label.observedAt),
  });
  labelsLogged += 1;
}

/**
 * Each version's training data as its baseline: drift is measured against it. A failure is
 * reported and the simulator goes on, since predictions and labels are still worth showing.
 */
async function uploadTrainingBaselines() {
  for (const version of VERSIONS) {
    try {
      const stored = await client.uploadBaseline({
        modelId: MODEL_ID,
        version,
        rows: makeTrainingRows(version, baselineRows),
        name: `training data, version ${version}`,
      });
      console.log(
        `uploaded the training baseline of version ${version} (${stored.rows} rows, revision ${stored.revision})`,
      );
    } catch (error) {
      console.error(
        `simulator: the baseline of version ${version} was not stored: ${(error as Error).message}`,
      );
    }
  }
}

/** Sends the outcomes known by the time the simulator started; the rest wait for their time. */
function releaseBackfilledLabels(labels: readonly DemoLabel[]) {
  for (const label of labels) {
    if (label.observedAt <= startedAt) logLabel(label);
    else schedule.add(label);
  }
}

async function backfill() {
  const firstMinute = Math.floor(startedAt / 60_000) - backfillMinutes;
  // A minute's labels leave with the next minute's predictions, after their own predictions
  // were stored: one round trip per minute, both endpoints at once.
  let previousLabels: DemoLabel[] = [];
  for (let minute = firstMinute; minute < Math.floor(startedAt / 60_000); minute += 1) {
    const random = seededRandom(minute);
    // A stream of its own, so the predictions stay those of earlier runs.
    const labelRandom = seededRandom(minute ^ 0x9e3779b9);
    const labels: DemoLabel[] = [];
    let index = 0;
    for (let second = 0; second < 60; second += 1) {
      const at = minute * 60_000 + second * 1000;
      for (let n = recordsInSecond(random, at / 1000); n > 0; n -= 1) {
        const record = makeRecord(random, at + Math.floor(random() * 1000), 0);
        const predictionId = `backfill-${minute}-${index++}`;
        client.logPrediction({ ...record, prediction_id: predictionId });
        const label = drawLabel(labelRandom, record, predictionId, 0);
        if (label) labels.push(label);
      }
    }
    releaseBackfilledLabels(previousLabels);
    previousLabels = labels;
    await client.flush();
  }
  releaseBackfilledLabels(previousLabels);
  await client.flush();
  console.log(
    `backfilled the last ${backfillMinutes} minutes (${client.stats().sent} predictions and labels)`,
  );
}

function tick() {
  const now = Date.now();
  const drift = driftLevel(now);
  for (let n = recordsInSecond(Math.random, now / 1000); n > 0; n -= 1) {
    const record = makeRecord(Math.random, now - Math.floor(Math.random() * 1000), drift);
    const predictionId = client.logPrediction(record);
    const label = drawLabel(Math.random, record, predictionId, drift);
    if (label) schedule.add(label);
  }
  for (const label of schedule.takeDue(now)) logLabel(label);
}

await uploadTrainingBaselines();
if (backfillMinutes > 0) await backfill();
const timer = setInterval(tick, 1000);
const report = setInterval(() => {
  const { sent, dropped, rejected } = client.stats();
  const drift = (driftLevel(Date.now()) * 100).toFixed(0);
  console.log(
    `${sent} records sent (${labelsLogged} labels, ${schedule.size} waiting), ` +
      `${dropped + schedule.dropped} dropped, ${rejected} rejected · drift ${drift}%`,
  );
}, 30_000);

const stop = () => {
  clearInterval(timer);
  clearInterval(report);
  void client.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
