// The load generator of `pnpm bench:ingest`, run as its own process so that building requests
// does not share a CPU budget with the service's event loop. Prints one JSON line of results.
//   tsx load-generator.ts batch  <url> <token> <seconds> <connections> <run-id>
//   tsx load-generator.ts single <url> <token> <seconds> <rate/s> <run-id>
import http from "node:http";

import { percentile } from "./bench-service";

const [mode, url, token, secondsArg, knob, runId] = process.argv.slice(2);
if (!mode || !url || !token || !secondsArg || !knob || !runId) {
  throw new Error(
    "usage: load-generator.ts batch|single url token seconds connections|rate run-id",
  );
}
const seconds = Number(secondsArg);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const FEATURES = 20;
const COUNTRIES = ["FR", "DE", "ES", "IT", "NL", "PL", "SE", "US", "GB", "JP"];
const CHANNELS = ["web", "app", "pos", "phone"];

/** Deterministic pseudo-random numbers (mulberry32), so every run sends the same data. */
function random(seed: number) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic record without its prediction id, pre-serialised: 16 numeric and 4 categorical
 * features, a label and score, latency, segments. Requests splice fresh ids in front.
 */
function recordTails(count: number, timestamp: string): string[] {
  const next = random(42);
  return Array.from({ length: count }, () => {
    const features: Record<string, number | string> = {};
    for (let f = 0; f < FEATURES - 4; f += 1)
      features[`num_${f}`] = Math.round(next() * 100_000) / 100;
    features.country = COUNTRIES[Math.floor(next() * COUNTRIES.length)]!;
    features.channel = CHANNELS[Math.floor(next() * CHANNELS.length)]!;
    features.device = next() < 0.5 ? "ios" : "android";
    features.tier = next() < 0.2 ? "gold" : "standard";
    const score = Math.round(next() * 1000) / 1000;
    return JSON.stringify({
      timestamp,
      features,
      prediction: { label: score > 0.5 ? "fraud" : "legit", score },
      latency_ms: Math.round(next() * 5000) / 100,
      segments: { region: next() < 0.7 ? "eu" : "us", channel: features.channel },
    }).slice(1);
  });
}

function post(path: string, body: string): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    request.on("error", () =>
      resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    request.end(body);
  });
}

const model = `{"model":{"id":"bench-model","version":"1"},"records":[`;
const timestamp = new Date().toISOString();
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let records = 0;
const deadline = Date.now() + seconds * 1000;
const started = Date.now();

if (mode === "batch") {
  const tails = recordTails(1000, timestamp);
  let batch = 0;
  await Promise.all(
    Array.from({ length: Number(knob) }, async () => {
      while (Date.now() < deadline) {
        batch += 1;
        const prefix = `{"prediction_id":"${runId}-b${batch}-`;
        const body = `${model}${tails.map((tail, i) => `${prefix}${i}",${tail}`).join(",")}]}`;
        const result = await post("/v1/predictions", body);
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        if (result.status === 202) {
          records += 1000;
          latencies.push(result.ms);
        }
      }
    }),
  );
} else {
  // Open loop: one request every 1/rate seconds whatever the answers, as real traffic does.
  const rate = Number(knob);
  const tails = recordTails(100, timestamp);
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (Date.now() < deadline) {
    const due = started + (sent * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = `${model}{"prediction_id":"${runId}-s${sent}",${tails[sent % tails.length]}]}`;
    sent += 1;
    inFlight.push(
      post("/v1/predictions", body).then((result) => {
        statuses[result.status] = (statuses[result.status] ?? 0) + 1;
        if (result.status === 202) {
          records += 1;
          latencies.push(result.ms);
        }
      }),
    );
  }
  await Promise.all(inFlight);
}

const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    records,
    seconds: elapsed,
    recordsPerSecond: records / elapsed,
    requests: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    statuses,
    cpuSeconds: (() => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    })(),
  }),
);
agent.destroy();
