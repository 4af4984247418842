import { and, desc, eq, gte, lt } from "drizzle-orm";

import type { DatabaseOrTransaction } from "../client";
import { predictions } from "../schema";
import { toReferenceRow, type ReferenceRow } from "./reference-columns";

/** The most rows a baseline built from a production window reads. */
export const MAX_WINDOW_REFERENCE_ROWS = 50_000;

export interface WindowReferenceQuery {
  modelId: string;
  version: string;
  from: Date;
  to: Date;
  deployment?: string;
  /** At most this many of the most recent records (capped at MAX_WINDOW_REFERENCE_ROWS). */
  limit?: number;
}

/**
 * The features, prediction and score of a version's raw predictions in `[from, to)`, most
 * recent first, as reference rows. This is the one place that reads raw rows for drift, and
 * only to build a baseline once (charts read rollups); the read is bounded and walks the
 * (model, version, ts) index backwards from `to`.
 */
export async function readWindowReferenceRows(
  db: DatabaseOrTransaction,
  query: WindowReferenceQuery,
): Promise<ReferenceRow[]> {
  const limit = Math.min(query.limit ?? MAX_WINDOW_REFERENCE_ROWS, MAX_WINDOW_REFERENCE_ROWS);
  const conditions = [
    eq(predictions.modelId, query.modelId),
    eq(predictions.version, query.version),
    gte(predictions.ts, query.from),
    lt(predictions.ts, query.to),
  ];
  if (query.deployment) conditions.push(eq(predictions.deployment, query.deployment));
  const rows = await db
    .select({ features: predictions.features, prediction: predictions.prediction })
    .from(predictions)
    .where(and(...conditions))
    .orderBy(desc(predictions.ts))
    .limit(limit);
  return rows.flatMap((row) => {
    const reference = toReferenceRow(row);
    return reference ? [reference] : [];
  });
}
