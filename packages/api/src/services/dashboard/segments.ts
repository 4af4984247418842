import { sql } from "drizzle-orm";

import type { DashboardWindow } from "./bucket-axis";
import { buildBucketAxis } from "./bucket-axis";
import type { DashboardQuery } from "./dashboard-query";
import { rollupSource } from "../rollup-sources";
import { selectRows } from "./rollup-sql";

export interface DashboardSegments {
  window: DashboardWindow;
  /** Segment names (alphabetical), each with its values by count over the window, most first. */
  segments: { name: string; count: number; values: { value: string; count: number }[] }[];
}

/** Most values listed per segment name (the filter offers these). */
export const MAX_SEGMENT_VALUES = 100;

/**
 * The segment names and values seen in the window, for the slice filter. The version and
 * deployment of the slice narrow the counts; its segment is ignored (the filter lists them all).
 */
export async function listSegments(query: DashboardQuery): Promise<DashboardSegments> {
  const { db, model, window, slice } = query;
  const rows = await selectRows<{ segment: string; value: string; count: number }>(
    db,
    sql`
      select s.segment, s.value, sum(s.count)::float8 as count
      from (${rollupSource({
        table: "segment_rollups",
        columns: "segment, value, count",
        modelId: model.id,
        from: window.from,
        to: window.to,
        bucketMs: null,
        version: slice.version,
        deployment: slice.deployment,
      })}) s
      group by 1, 2`,
  );
  const byName = new Map<string, { value: string; count: number }[]>();
  for (const row of rows) {
    const values = byName.get(row.segment) ?? [];
    values.push({ value: row.value, count: row.count });
    byName.set(row.segment, values);
  }
  return {
    window: buildBucketAxis(window).window,
    segments: [...byName.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, values]) => ({
        name,
        count: values.reduce((sum, value) => sum + value.count, 0),
        values: values
          .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
          .slice(0, MAX_SEGMENT_VALUES),
      })),
  };
}
