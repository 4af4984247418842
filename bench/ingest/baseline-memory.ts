/**
 * Peak heap while a large CSV reference dataset (1,000,000 rows, about 25 MB) is read, the way the
 * baseline upload read it before (the whole body as one Buffer, then one string, then every raw
 * row, then the reference rows) and the way it reads it now (64 KiB pieces from the stream,
 * each row turned into a reference row as its line ends). Each way runs in its own process.
 *
 *   pnpm --filter @plumbline/bench exec tsx ingest/baseline-memory.ts
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import {
  CsvRowReader,
  ReferenceRowCollector,
  rowsOfCsvDataset,
  toReferenceRows,
} from "@plumbline/db/baselines";

const ROWS = 1_000_000;
const PIECE_BYTES = 64 * 1024;

function* csvPieces(): Generator<Buffer> {
  const countries = ["FR", "DE", "ES", "東京"];
  let lines: string[] = ["amount,country,prediction,score"];
  for (let i = 0; i < ROWS; i += 1) {
    lines.push(
      `${(i * 0.37).toFixed(2)},${countries[i % 4]},${i % 3 ? "legit" : "fraud"},0.${i % 97}`,
    );
    if (lines.length === 2_000) {
      yield* split(Buffer.from(`${lines.join("\n")}\n`));
      lines = [];
    }
  }
  if (lines.length > 0) yield* split(Buffer.from(`${lines.join("\n")}\n`));
}

function* split(buffer: Buffer): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += PIECE_BYTES) {
    yield buffer.subarray(start, start + PIECE_BYTES);
  }
}

let peak = 0;
function sample() {
  peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers);
}

function whole(): number {
  const body = Buffer.concat([...csvPieces()]);
  sample();
  const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  sample();
  const raw = rowsOfCsvDataset(text);
  sample();
  const rows = toReferenceRows(raw);
  sample();
  // Fastify held the body's Buffer until the request ended: keep it alive to the end here too.
  return body.length > 0 ? rows.length : 0;
}

function streamed(): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const collector = new ReferenceRowCollector();
  let seen = 0;
  const reader = new CsvRowReader((row) => {
    collector.add(row);
    seen += 1;
    if (seen % 20_000 === 0) sample();
  });
  for (const piece of csvPieces()) reader.write(decoder.decode(piece, { stream: true }));
  reader.write(decoder.decode());
  reader.end();
  sample();
  return collector.finish().length;
}

const mode = process.argv[2];
if (mode === "whole" || mode === "streamed") {
  global.gc?.();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const started = performance.now();
  const rows = mode === "whole" ? whole() : streamed();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ mode, rows, peakMiB: (peak - before) / 2 ** 20, seconds }));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = ["whole", "streamed"].map(
    (way) =>
      JSON.parse(
        execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, way], {
          encoding: "utf8",
        }),
      ) as { mode: string; rows: number; peakMiB: number; seconds: number },
  );
  for (const result of results) {
    console.log(
      `${result.mode.padEnd(9)} ${result.rows} rows  peak heap +${result.peakMiB.toFixed(0)} MiB  ${result.seconds.toFixed(2)} s`,
    );
  }
  console.log(
    `streamed / whole peak heap: ${(results[1]!.peakMiB / results[0]!.peakMiB).toFixed(2)}`,
  );
}
