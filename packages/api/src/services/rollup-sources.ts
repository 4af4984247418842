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

/** A coarser copy of a minute rollup, kept exact by triggers: its table and its time column. */
interface RollupLevel {
  suffix: string;
  timeColumn: string;
  ms: number;
}

const HOUR_LEVEL: RollupLevel = { suffix: "hour", timeColumn: "hour", ms: HOUR_MS };

/**
 * The coarser levels of each minute rollup, coarsest first. Bin counts, the widest rows and the
 * most of them (one per feature), also have 6-hour periods: a 30-day drift heat map reads those.
 */
const LEVELS: Record<HourMirroredRollup, readonly RollupLevel[]> = {
  feature_bin_rollups: [{ suffix: "6h", timeColumn: "period", ms: 6 * HOUR_MS }, HOUR_LEVEL],
  prediction_rollups: [HOUR_LEVEL],
  segment_rollups: [HOUR_LEVEL],
  label_rollups: [HOUR_LEVEL],
  confusion_rollups: [HOUR_LEVEL],
  performance_rollups: [HOUR_LEVEL],
};

/**
 * The rows of one minute rollup over [from, to), as `minute`-keyed rows with `columns`, read
 * from the coarsest level that fits: the longest whole periods of a level whose period divides
 * every bucket (any level when `bucketMs` is null: the window is summed whole), the ragged ends
 * from the next finer level, down to the `*_minute` table (6-hour periods, then hours, then
 * minutes). Triggers keep each level equal to the sums of the one below. `filters` are further
 * conditions on unqualified columns, true of every level.
 */
export function rollupSource(input: {
  table: HourMirroredRollup;
  /** Comma-separated columns besides the time column, shared by every level. */
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
  const select = (suffix: string, timeColumn: string, from: number, to: number) => sql`
    select ${sql.raw(timeColumn)} as minute, ${columns} from ${sql.raw(`${input.table}_${suffix}`)}
    where ${sql.join(
      [
        ...common,
        sql`${sql.raw(timeColumn)} >= ${new Date(from).toISOString()}::timestamptz`,
        sql`${sql.raw(timeColumn)} < ${new Date(to).toISOString()}::timestamptz`,
      ],
      sql` and `,
    )}`;

  const usable = LEVELS[input.table].filter(
    (level) => input.bucketMs === null || input.bucketMs % level.ms === 0,
  );
  const sources = (from: number, to: number, levels: readonly RollupLevel[]): SQL[] => {
    const [level, ...finer] = levels;
    if (!level) return [select("minute", "minute", from, to)];
    const levelFrom = Math.ceil(from / level.ms) * level.ms;
    const levelTo = Math.floor(to / level.ms) * level.ms;
    if (levelFrom >= levelTo) return sources(from, to, finer);
    return [
      select(level.suffix, level.timeColumn, levelFrom, levelTo),
      ...(from < levelFrom ? sources(from, levelFrom, finer) : []),
      ...(levelTo < to ? sources(levelTo, to, finer) : []),
    ];
  };
  return sql.join(sources(input.from.getTime(), input.to.getTime(), usable), sql` union all `);
}
