import type { DriftStatus } from "@plumbline/drift";

/**
 * One measurement of one monitor for one target (the whole model, or one feature) over one
 * evaluation window: what a threshold is judged on. Readers build these from rollups.
 */
export interface Reading {
  /** The feature, or null when the reading is about the whole model (or slice). */
  feature: string | null;
  /** The measured value; null when nothing could be measured (no traffic, no labels). */
  value: number | null;
  /** Records (or labelled records, values...) behind the value: compared with `minSamples`. */
  samples: number;
  /**
   * The baseline of a relative threshold (the previous window, the same window a week earlier,
   * or the reference, whichever the threshold asks for); null when there is none.
   */
  baseline?: number | null;
  /** For a statistical threshold: the drift package's status and the test's p-value. */
  driftStatus?: DriftStatus;
  pValue?: number | null;
  /**
   * Set by {@link applyFalseDiscoveryControl}: whether the p-value survives Benjamini-Hochberg
   * across the monitor's features. Undefined when FDR control is off.
   */
  discovered?: boolean;
  /** Whatever else explains the reading (JS distance, PSI, counts); stored with the evaluation. */
  details?: Record<string, unknown>;
}
