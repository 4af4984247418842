import { sql, type SQL } from "drizzle-orm";

/** Minute rollup tables that a trigger mirrors into a `*_hour` table of the same columns. */
export type HourMirroredRollup =
  | "feature_bin_rollups"
  | "prediction_rollups"
  | "segment_rollups"
  | "label_rollups"
  | "confusion_rollups"
  | "performance_rollups";

const HOUR_MS = 3_600_000;

/**
 * The rows of one minute rollup over [from, to), as `minute`-keyed rows with `columns`: whole
 * hours from the `*_hour` table (60 times fewer rows; a trigger keeps it equal to the minutes'
 * sums) when every bucket is a whole number of hours (or `bucketMs` is null: the window is
 * summed whole), and the minutes at the window's ragged ends, or of sub-hour buckets, from the
 * `*_minute` table. `filters` are further conditions on unqualified columns, true of both.
 */
export function rollupSource(input: {
  table: HourMirroredRollup;
  /** Comma-separated columns besides `minute`, shared by both tables. */
  columns: string;
  /** One model, or several (the project overview). */
  modelId: string | readonly string[];
  from: Date;
  to: Date;
  bucketMs: number | null;
  version?: string | undefined;
  deployment?: string | undefined;
  filters?: SQL[];
}): SQL {
  const columns = sql.raw(input.columns);
  const common: SQL[] = [
    typeof input.modelId === "string"
      ? sql`model_id = ${input.modelId}`
      : sql`model_id in (${sql.join(
          input.modelId.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  ];
  if (input.version !== undefined) common.push(sql`version = ${input.version}`);
  if (input.deployment !== undefined) common.push(sql`deployment = ${input.deployment}`);
  common.push(...(input.filters ?? []));
  const range = (column: string, from: number, to: number) => sql`
    ${sql.raw(column)} >= ${new Date(from).toISOString()}::timestamptz
    and ${sql.raw(column)} < ${new Date(to).toISOString()}::timestamptz`;
  const minutes = (from: number, to: number) => sql`
    select minute, ${columns} from ${sql.raw(`${input.table}_minute`)}
    where ${sql.join([...common, range("minute", from, to)], sql` and `)}`;

  const fromMs = input.from.getTime();
  const toMs = input.to.getTime();
  const hourFrom = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const hourTo = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  const hoursUsable = input.bucketMs === null || input.bucketMs % HOUR_MS === 0;
  if (!hoursUsable || hourFrom >= hourTo) return minutes(fromMs, toMs);

  const sources: SQL[] = [
    sql`
    select hour as minute, ${columns} from ${sql.raw(`${input.table}_hour`)}
    where ${sql.join([...common, range("hour", hourFrom, hourTo)], sql` and `)}`,
  ];
  if (fromMs < hourFrom) sources.push(minutes(fromMs, hourFrom));
  if (hourTo < toMs) sources.push(minutes(hourTo, toMs));
  return sql.join(sources, sql` union all `);
}
