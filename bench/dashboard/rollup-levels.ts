// What the 6-hour level of the bin-count rollups buys and costs, measured in the benchmark's
// own process against its baseline (hours only):
// - read: one model's 30 days of bin counts summed per 6-hour bucket, as the 30-day heat map
//   asks, from hour rows against 6-hour periods;
// - write: the upsert ingest runs once per transaction (one minute's bin rows of one model,
//   through the minute -> hour triggers), with and without the hour -> 6-hour triggers.
import { randomUUID } from "node:crypto";

import type postgres from "postgres";

import { addFeatureBinRollups } from "@plumbline/ingest/rollup-writes";

type Timing = { p50: number; p95: number };
type FeatureBinRollup = Parameters<typeof addFeatureBinRollups>[1][number];

type BinRow = {
  minute: Date | string;
  version: string;
  deployment: string;
  target: FeatureBinRollup["target"];
  name: string;
  profile_revision: number;
  counts: number[];
  missing: number;
  out_of_range: number;
  unseen: number;
  type_mismatch: number;
};

const SIX_HOURS = "6 hours";

export async function measureRollupLevels(
  sql: postgres.Sql,
  modelId: string,
  measure: (run: () => Promise<unknown>) => Promise<Timing>,
) {
  const [{ maxBins }] = (await sql`
    select max(cardinality(counts))::int as "maxBins" from feature_bin_rollups_6h
    where model_id = ${modelId}`) as unknown as [{ maxBins: number }];
  const perBin = Array.from(
    { length: maxBins },
    (_, index) => `sum(counts[${index + 1}]::float8)`,
  ).join(", ");
  const sumPerBucket = (table: string, column: string) => () =>
    sql.unsafe(
      `select date_bin('${SIX_HOURS}', ${column}, timestamptz 'epoch') as bucket, version, target, name,
         array[${perBin}] as counts
       from ${table}
       where model_id = $1 and ${column} >= now() - interval '30 days'
       group by 1, version, target, name`,
      [modelId],
    );
  const fromHours = await measure(sumPerBucket("feature_bin_rollups_hour", "hour"));
  const fromPeriods = await measure(sumPerBucket("feature_bin_rollups_6h", "period"));

  // Ingest's own writer, for a scratch model whose rows are deleted at the end, so the seeded
  // data is unchanged: one minute's bin rows of the benchmark model, written again and again
  // (after the first, every row conflicts with its minute, as in a busy minute). Each write
  // commits on its own, as ingest's transactions do (repeated updates inside one transaction
  // would grow version chains that nothing prunes and measure those instead).
  const scratch = randomUUID();
  const minuteRows = await sql<BinRow[]>`
    select minute, version, deployment, target, name, profile_revision, counts::float8[] as counts,
      missing::float8, out_of_range::float8, unseen::float8, type_mismatch::float8
    from feature_bin_rollups_minute
    where model_id = ${modelId}
      and minute = (select max(minute) from feature_bin_rollups_minute where model_id = ${modelId})
    order by version, deployment, target, name, profile_revision`;
  const rollups: FeatureBinRollup[] = minuteRows.map((row) => ({
    modelId: scratch,
    minute: new Date(row.minute),
    version: row.version,
    deployment: row.deployment,
    target: row.target,
    name: row.name,
    profileRevision: row.profile_revision,
    counts: row.counts,
    missing: row.missing,
    outOfRange: row.out_of_range,
    unseen: row.unseen,
    typeMismatch: row.type_mismatch,
  }));
  const rows = rollups.length;
  const upsert = () => sql.begin((tx) => addFeatureBinRollups(tx, rollups));
  const periodTriggers = async (state: "enable" | "disable") => {
    await sql.unsafe(
      `alter table feature_bin_rollups_hour ${state} trigger feature_bin_rollups_6h_on_insert`,
    );
    await sql.unsafe(
      `alter table feature_bin_rollups_hour ${state} trigger feature_bin_rollups_6h_on_update`,
    );
  };
  const best = (a: Timing, b: Timing) => (a.p50 <= b.p50 ? a : b);
  try {
    let withPeriods = await measure(upsert);
    await periodTriggers("disable");
    let hoursOnly = await measure(upsert);
    await periodTriggers("enable");
    withPeriods = best(withPeriods, await measure(upsert));
    await periodTriggers("disable");
    hoursOnly = best(hoursOnly, await measure(upsert));
    return { fromHours, fromPeriods, rows, withPeriods, hoursOnly };
  } finally {
    await periodTriggers("enable");
    for (const table of ["minute", "hour", "6h"]) {
      await sql.unsafe(`delete from feature_bin_rollups_${table} where model_id = $1`, [scratch]);
    }
  }
}
