import { z } from "zod";

/** Columns of a reference dataset that are not features. */
export const BASELINE_PREDICTION_COLUMN = "prediction";
export const BASELINE_SCORE_COLUMN = "score";

/** Largest reference dataset accepted by `POST /v1/models/{model_id}/versions/{version}/baseline`. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;
export const MAX_BASELINE_ROWS = 1_000_000;
/** Longest CSV record or NDJSON line of a reference dataset, in characters. */
export const MAX_BASELINE_LINE_CHARS = 1024 * 1024;

/** What a stored reference profile describes: a feature, the prediction, or the score. */
export const PROFILE_TARGETS = ["feature", "prediction", "score"] as const;
export type ProfileTarget = (typeof PROFILE_TARGETS)[number];

export const BaselineResponse = z.strictObject({
  model_id: z.string(),
  version: z.string(),
  /** Increases by one each time the version's baseline is replaced. */
  revision: z.int().min(1),
  rows: z.int().min(0),
  profiles: z.array(
    z.strictObject({
      target: z.enum(PROFILE_TARGETS),
      name: z.string(),
      kind: z.enum(["numeric", "categorical"]),
      n: z.int().min(0),
      missing: z.int().min(0),
      bins: z.int().min(0),
    }),
  ),
});
export type BaselineResponse = z.infer<typeof BaselineResponse>;
