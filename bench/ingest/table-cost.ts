// What the raw table costs per row: pre-formatted rows COPYed into `predictions` as it is and
// into copies of it with parts taken away (no partitioning, no primary key, without each index),
// and the dedup keys into `prediction_keys`, all in the same run. Used by `pnpm bench:ingest`.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { createDatabase } from "@plumbline/db/client";

import {
  preparePrediction,
  PREDICTION_COPY_COLUMNS,
} from "../../apps/ingest/src/services/predictions/prediction-rows";

type Sql = ReturnType<typeof createDatabase>["sql"];

/** COPY text of `rows` realistic records (16 numeric, 4 categorical features), in ~1 MiB chunks. */
export function predictionCopyChunks(
  modelId: string,
  rows: number,
  runId: string,
): { rows: string[]; keys: string[] } {
  const timestamp = new Date();
  const chunks: string[] = [];
  const keyChunks: string[] = [];
  let chunk = "";
  let keyChunk = "";
  for (let i = 0; i < rows; i += 1) {
    const features: Record<string, number | string> = {};
    for (let f = 0; f < 16; f += 1) features[`num_${f}`] = ((i * 31 + f * 17) % 100_000) / 100;
    Object.assign(features, { country: "FR", channel: "web", device: "ios", tier: "standard" });
    const prepared = preparePrediction(
      i,
      modelId,
      {
        prediction_id: `${runId}-${i}`,
        model: { id: "bench-model", version: "1", deployment: "stable", environment: "production" },
        timestamp: timestamp.toISOString(),
        features,
        prediction: { label: "legit", score: (i % 1000) / 1000 },
        latency_ms: 12.5,
        segments: { region: "eu", channel: "web" },
        status: "ok",
      },
      timestamp,
    );
    chunk += prepared.copyLine;
    keyChunk += `${modelId}\t1\t${prepared.predictionId}\t${timestamp.toISOString()}\t${prepared.hash}\n`;
    if (chunk.length > 1 << 20) {
      chunks.push(chunk);
      keyChunks.push(keyChunk);
      chunk = "";
      keyChunk = "";
    }
  }
  chunks.push(chunk);
  keyChunks.push(keyChunk);
  return { rows: chunks, keys: keyChunks };
}

/** Rows/s of COPYing `chunks` into `table` over `streams` connections at once. */
export async function copyRate(
  sql: Sql,
  table: string,
  columns: readonly string[],
  chunks: readonly string[],
  rows: number,
  streams: number,
): Promise<number> {
  const parts = Array.from({ length: streams }, (_, s) =>
    chunks.filter((_, index) => index % streams === s),
  );
  const started = process.hrtime.bigint();
  await Promise.all(
    parts.map(async (part) => {
      const writable = await sql
        .unsafe(`copy ${table} (${columns.join(", ")}) from stdin`)
        .writable();
      await pipeline(Readable.from(part), writable);
    }),
  );
  return rows / (Number(process.hrtime.bigint() - started) / 1e9);
}

export interface TableCost {
  name: string;
  rowsPerSecond: number;
}

/**
 * The variants, each a fresh table (best of two runs of `rows` rows, one stream), so that the
 * per-row cost of a part is 1/rate(with it) - 1/rate(without it).
 */
export async function measureTableCost(url: string, modelId: string, rows: number) {
  const { sql } = createDatabase(url, { max: 2 });
  const day = new Date().toISOString().slice(0, 10);
  const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const partitioned = (name: string) => [
    `create table ${name} (like predictions including defaults) partition by range (ts)`,
    `create table ${name}_today partition of ${name} for values from ('${day}') to ('${next}')`,
  ];
  const primaryKey = (name: string) =>
    `alter table ${name} add primary key (model_id, ts, prediction_id, version)`;
  const variants: { name: string; setup: (table: string) => string[] }[] = [
    {
      name: "heap, no keys or indexes",
      setup: (t) => [`create table ${t} (like predictions including defaults)`],
    },
    { name: "partitioned by day, no keys or indexes", setup: (t) => partitioned(t) },
    { name: "+ primary key", setup: (t) => [...partitioned(t), primaryKey(t)] },
    {
      name: "+ primary key + (model_id, prediction_id)",
      setup: (t) => [
        ...partitioned(t),
        primaryKey(t),
        `create index on ${t} (model_id, prediction_id)`,
      ],
    },
    {
      name: "+ primary key + (model_id, version, ts)",
      setup: (t) => [
        ...partitioned(t),
        primaryKey(t),
        `create index on ${t} (model_id, version, ts)`,
      ],
    },
    {
      name: "+ primary key + both indexes",
      setup: (t) => [
        ...partitioned(t),
        primaryKey(t),
        `create index on ${t} (model_id, prediction_id)`,
        `create index on ${t} (model_id, version, ts)`,
      ],
    },
  ];
  const results: TableCost[] = [];
  try {
    // Built once: every run writes a fresh table, so the same rows never collide.
    const { rows: chunks, keys } = predictionCopyChunks(modelId, rows, "cost");
    for (const [index, variant] of variants.entries()) {
      let best = 0;
      for (let run = 0; run < 2; run += 1) {
        const table = `bench_cost_${index}_${run}`;
        for (const statement of variant.setup(table)) await sql.unsafe(statement);
        best = Math.max(best, await copyRate(sql, table, PREDICTION_COPY_COLUMNS, chunks, rows, 1));
        await sql.unsafe(`drop table ${table}`);
      }
      results.push({ name: variant.name, rowsPerSecond: best });
    }
    // The dedup keys: what each stored record also costs in `prediction_keys`.
    let best = 0;
    for (let run = 0; run < 2; run += 1) {
      const table = `bench_cost_keys_${run}`;
      await sql.unsafe(`create table ${table} (like prediction_keys including all)`);
      best = Math.max(
        best,
        await copyRate(
          sql,
          table,
          ["model_id", "version", "prediction_id", "ts", "payload_hash"],
          keys,
          rows,
          1,
        ),
      );
      await sql.unsafe(`drop table ${table}`);
    }
    results.push({ name: "prediction_keys (dedup keys, primary key)", rowsPerSecond: best });
  } finally {
    await sql.end();
  }
  return results;
}
