/**
 * The demo's traffic simulator: logs realistic credit-risk predictions through `@plumbline/sdk`
 * to the real ingest API with a real API key, the way an inference service would.
 *
 * - On start it backfills the last hour (SIMULATOR_BACKFILL_MINUTES, default 60) so the
 *   dashboard has history at once. The backfill is deterministic (seeded by the minute, with
 *   stable prediction ids), so a restarted demo re-sends the same records and ingest counts them
 *   as duplicates instead of storing them twice.
 * - Volume follows a compressed daily cycle (a 10-minute period) with noise, 20-60 records/s.
 * - Version 1 serves as `stable`; version 2 takes about 10% as `canary`.
 * - A slow drift episode: from the third minute, applicants' income falls and credit
 *   utilisation rises over ten minutes, then recover; default scores rise with them.
 * - About 0.5% of requests end in a serving error.
 *
 * Env: PLUMBLINE_INGEST_URL (default http://localhost:3001), PLUMBLINE_API_KEY (required),
 * SIMULATOR_RATE (mean records per second, default 40).
 */
import { PlumblineClient } from "@plumbline/sdk";

const ingestUrl = process.env.PLUMBLINE_INGEST_URL ?? "http://localhost:3001";
const apiKey = process.env.PLUMBLINE_API_KEY;
const meanRate = Number(process.env.SIMULATOR_RATE ?? 40);
const backfillMinutes = Number(process.env.SIMULATOR_BACKFILL_MINUTES ?? 60);
if (!apiKey) {
  console.error("PLUMBLINE_API_KEY is not set: the simulator posts with a real API key.");
  process.exit(2);
}

const startedAt = Date.now();

type Random = () => number;

/** mulberry32: a small seeded generator, so a backfilled minute is the same on every run. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pick<T>(random: Random, items: readonly T[], weights: readonly number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let index = 0; index < items.length; index += 1) {
    r -= weights[index]!;
    if (r <= 0) return items[index]!;
  }
  return items[items.length - 1]!;
}

/** 0 before minute 2, ramps to 1 by minute 12, holds, and recovers by minute 25; repeats. */
function driftLevel(now: number): number {
  const minutes = ((now - startedAt) / 60_000) % 30;
  if (minutes < 2) return 0;
  if (minutes < 12) return (minutes - 2) / 10;
  if (minutes < 18) return 1;
  if (minutes < 25) return 1 - (minutes - 18) / 7;
  return 0;
}

function makeRecord(random: Random, now: number, drift: number) {
  const version = random() < 0.1 ? "2" : "1";
  const normal = () => gaussian(random);
  const age = Math.max(18, Math.round(41 + 12 * normal()));
  const annualIncome = Math.max(8_000, Math.round(Math.exp(10.9 - 0.35 * drift + 0.45 * normal())));
  const loanAmount = Math.round(Math.max(1_000, Math.exp(9.3 + 0.6 * normal())));
  const creditUtilization = Math.min(1, Math.max(0, 0.32 + 0.25 * drift + 0.18 * normal()));
  const openAccounts = Math.max(0, Math.round(5 + 2.5 * normal()));
  const debtToIncome = Math.min(2, (loanAmount * 0.35) / annualIncome + 0.1 * random());
  const employmentType = pick(
    random,
    ["salaried", "self_employed", "contractor", "unemployed"] as const,
    [0.68 - 0.1 * drift, 0.17, 0.11 + 0.05 * drift, 0.04 + 0.05 * drift],
  );
  const region = pick(random, ["north", "south", "east", "west"] as const, [0.3, 0.25, 0.25, 0.2]);
  const logit =
    -2.2 +
    2.4 * creditUtilization +
    1.8 * debtToIncome -
    0.018 * (age - 40) +
    (employmentType === "unemployed" ? 1.1 : 0) +
    (version === "2" ? -0.15 : 0) +
    0.35 * normal();
  const probabilityOfDefault = 1 / (1 + Math.exp(-logit));
  const label = probabilityOfDefault >= 0.5 ? "default" : "repay";
  const failed = random() < 0.005;
  return {
    timestamp: new Date(now).toISOString(),
    model: {
      id: "credit-risk",
      version,
      deployment: version === "2" ? ("canary" as const) : ("stable" as const),
    },
    features: {
      age,
      annual_income: annualIncome,
      loan_amount: loanAmount,
      debt_to_income: Number(debtToIncome.toFixed(4)),
      credit_utilization: Number(creditUtilization.toFixed(4)),
      open_accounts: openAccounts,
      employment_type: employmentType,
      region,
    },
    prediction: {
      label,
      // Confidence of the predicted label.
      score: Number(Math.max(probabilityOfDefault, 1 - probabilityOfDefault).toFixed(5)),
      scores: { default: probabilityOfDefault, repay: 1 - probabilityOfDefault },
    },
    segments: {
      region,
      channel: pick(random, ["web", "branch", "partner"] as const, [0.6, 0.25, 0.15]),
    },
    latency_ms: Number((12 + 6 * Math.abs(normal()) + (version === "2" ? 3 : 0)).toFixed(2)),
    status: failed ? ("error" as const) : ("ok" as const),
    ...(failed ? { error_code: "feature_store_timeout" } : {}),
  };
}

const client = new PlumblineClient({
  endpoint: ingestUrl,
  apiKey,
  onError: (event) =>
    console.error(`simulator: ${event.type}: ${JSON.stringify(event).slice(0, 300)}`),
});

/** Volume follows a compressed day: a 10-minute cycle around the mean rate. */
function recordsInSecond(random: Random, second: number): number {
  const cycle = Math.sin((2 * Math.PI * second) / 600);
  return Math.max(5, Math.round(meanRate * (1 + 0.45 * cycle) + 4 * gaussian(random)));
}

async function backfill() {
  const firstMinute = Math.floor(startedAt / 60_000) - backfillMinutes;
  for (let minute = firstMinute; minute < Math.floor(startedAt / 60_000); minute += 1) {
    const random = seededRandom(minute);
    let index = 0;
    for (let second = 0; second < 60; second += 1) {
      const at = minute * 60_000 + second * 1000;
      for (let n = recordsInSecond(random, at / 1000); n > 0; n -= 1) {
        const record = makeRecord(random, at + Math.floor(random() * 1000), 0);
        client.logPrediction({ ...record, prediction_id: `backfill-${minute}-${index++}` });
      }
    }
    await client.flush();
  }
  console.log(`backfilled the last ${backfillMinutes} minutes (${client.stats().sent} records)`);
}

function tick() {
  const now = Date.now();
  const drift = driftLevel(now);
  for (let n = recordsInSecond(Math.random, now / 1000); n > 0; n -= 1) {
    client.logPrediction(makeRecord(Math.random, now - Math.floor(Math.random() * 1000), drift));
  }
}

if (backfillMinutes > 0) await backfill();
const timer = setInterval(tick, 1000);
const report = setInterval(() => {
  const { sent, dropped, rejected } = client.stats();
  const drift = (driftLevel(Date.now()) * 100).toFixed(0);
  console.log(
    `${sent} predictions sent, ${dropped} dropped, ${rejected} rejected · drift ${drift}%`,
  );
}, 30_000);

const stop = () => {
  clearInterval(timer);
  clearInterval(report);
  void client.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
