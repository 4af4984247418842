/**
 * The demo's traffic simulator: posts realistic credit-risk predictions to the real ingest API
 * with a real API key, the way an inference service would.
 *
 * - Volume follows a compressed daily cycle (a 10-minute period) with noise, 20-60 records/s.
 * - Version 1 serves as `stable`; version 2 takes about 10% as `canary`.
 * - A slow drift episode: from the third minute, applicants' income falls and credit
 *   utilisation rises over ten minutes, then recover; default scores rise with them.
 * - About 0.5% of requests end in a serving error.
 *
 * Env: PLUMBLINE_INGEST_URL (default http://localhost:3001), PLUMBLINE_API_KEY (required),
 * SIMULATOR_RATE (mean records per second, default 40).
 */
import { randomUUID } from "node:crypto";

const ingestUrl = process.env.PLUMBLINE_INGEST_URL ?? "http://localhost:3001";
const apiKey = process.env.PLUMBLINE_API_KEY;
const meanRate = Number(process.env.SIMULATOR_RATE ?? 40);
if (!apiKey) {
  console.error("PLUMBLINE_API_KEY is not set: the simulator posts with a real API key.");
  process.exit(2);
}

const startedAt = Date.now();

function gaussian(): number {
  let u = 0;
  while (u === 0) u = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

function pick<T>(items: readonly T[], weights: readonly number[]): T {
  let r = Math.random() * weights.reduce((a, b) => a + b, 0);
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

function makeRecord(now: number, version: "1" | "2") {
  const drift = driftLevel(now);
  const age = Math.max(18, Math.round(41 + 12 * gaussian()));
  const annualIncome = Math.max(
    8_000,
    Math.round(Math.exp(10.9 - 0.35 * drift + 0.45 * gaussian())),
  );
  const loanAmount = Math.round(Math.max(1_000, Math.exp(9.3 + 0.6 * gaussian())));
  const creditUtilization = Math.min(1, Math.max(0, 0.32 + 0.25 * drift + 0.18 * gaussian()));
  const openAccounts = Math.max(0, Math.round(5 + 2.5 * gaussian()));
  const debtToIncome = Math.min(2, (loanAmount * 0.35) / annualIncome + 0.1 * Math.random());
  const employmentType = pick(["salaried", "self_employed", "contractor", "unemployed"] as const, [
    0.68 - 0.1 * drift,
    0.17,
    0.11 + 0.05 * drift,
    0.04 + 0.05 * drift,
  ]);
  const region = pick(["north", "south", "east", "west"] as const, [0.3, 0.25, 0.25, 0.2]);
  const logit =
    -2.2 +
    2.4 * creditUtilization +
    1.8 * debtToIncome -
    0.018 * (age - 40) +
    (employmentType === "unemployed" ? 1.1 : 0) +
    (version === "2" ? -0.15 : 0) +
    0.35 * gaussian();
  const probabilityOfDefault = 1 / (1 + Math.exp(-logit));
  const label = probabilityOfDefault >= 0.5 ? "default" : "repay";
  const failed = Math.random() < 0.005;
  return {
    prediction_id: randomUUID(),
    timestamp: new Date(now).toISOString(),
    model: { id: "credit-risk", version, deployment: version === "2" ? "canary" : "stable" },
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
    segments: { region, channel: pick(["web", "branch", "partner"] as const, [0.6, 0.25, 0.15]) },
    latency_ms: Number((12 + 6 * Math.abs(gaussian()) + (version === "2" ? 3 : 0)).toFixed(2)),
    status: failed ? "error" : "ok",
    ...(failed ? { error_code: "feature_store_timeout" } : {}),
  };
}

let sent = 0;
let failures = 0;

async function tick() {
  const now = Date.now();
  const cycle = Math.sin((2 * Math.PI * (now - startedAt)) / 600_000);
  const rate = Math.max(5, meanRate * (1 + 0.45 * cycle) + 4 * gaussian());
  const records = Array.from({ length: Math.round(rate) }, () =>
    makeRecord(now - Math.floor(Math.random() * 1000), Math.random() < 0.1 ? "2" : "1"),
  );
  try {
    const response = await fetch(`${ingestUrl}/v1/predictions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ records }),
    });
    if (response.ok) sent += records.length;
    else {
      failures += 1;
      if (failures <= 3 || failures % 30 === 0) {
        console.error(
          `ingest answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
        );
      }
    }
  } catch (error) {
    failures += 1;
    if (failures <= 3 || failures % 30 === 0) {
      console.error(
        `ingest unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

const timer = setInterval(() => void tick(), 1000);
const report = setInterval(() => {
  const drift = driftLevel(Date.now());
  console.log(`${sent} predictions sent · drift level ${(drift * 100).toFixed(0)}%`);
}, 30_000);
void tick();

const stop = () => {
  clearInterval(timer);
  clearInterval(report);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
