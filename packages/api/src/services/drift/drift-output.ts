import type { ProfileTarget } from "@plumbline/contracts";
import type { ReferenceSource } from "@plumbline/db/schema";
import type { DriftStatus } from "@plumbline/drift";

/**
 * What the drift router returns (the web app renders these types). Every statistic comes from
 * `@plumbline/drift` applied to bin counts summed from the rollups, never from raw rows.
 */

export type { DriftStatus, ProfileTarget, ReferenceSource };

/** The reference a version's drift is measured against. */
export interface DriftReference {
  version: string;
  revision: number;
  builtAt: Date;
  /** Rows the reference was built from. */
  rows: number;
  source: ReferenceSource;
  /** For `window` references: the production window the rows came from. */
  window: { from: Date; to: Date } | null;
}

/** Why drift is not shown for this window, in words a user can act on. */
export interface DriftUnavailable {
  reason: "segment_slice" | "no_reference";
  message: string;
}

export interface DriftWindow {
  from: Date;
  to: Date;
  bucketMs: number;
  inProgressBucket: Date | null;
}

/** One version's own result for a feature (each version is compared with its own reference). */
export interface VersionDriftSummary {
  version: string;
  status: DriftStatus;
  jsDistance: number | null;
  /** Non-missing current values behind the statistic. */
  currentCount: number;
}

export interface DriftTableRow {
  target: ProfileTarget;
  name: string;
  kind: "numeric" | "categorical";
  /** The primary decision of the drift spec (`no_data` when the window holds no value). */
  status: DriftStatus;
  /** "binary" for two-valued columns (share difference), else "js_distance". */
  primary: "js_distance" | "binary";
  jsDistance: number | null;
  psi: number | null;
  /** The gate's p-value: the binned chi-square (or the 2 x 2 one for binary columns). */
  pValue: number | null;
  /**
   * Always "chi_square" here: KS needs the raw current values, and drift is computed from
   * stored bin counts. The union type leaves room for a KS-capable source.
   */
  test: "ks" | "chi_square";
  /** Current records with the value missing (null, NaN, infinite, absent), of all records. */
  missingShare: number | null;
  referenceMissingShare: number;
  /** Current values in no reference category or value (the OOV bin), of non-missing values. */
  unseenShare: number | null;
  /** Numeric values outside the reference's [min, max], of non-missing values. */
  outOfRangeShare: number | null;
  /** Values of the wrong type (text for a numeric feature), of all records. */
  typeMismatchShare: number | null;
  referenceCount: number;
  currentCount: number;
  /** The version whose result this row shows (see `versions` for each version's own). */
  version: string;
  versions: VersionDriftSummary[];
}

export interface DriftTable {
  window: DriftWindow;
  unavailable: DriftUnavailable | null;
  /** The reference of the version with the most current values (the one most rows show). */
  reference: DriftReference | null;
  /** Every reference in use: one per version compared. */
  references: DriftReference[];
  /** Versions that served traffic in the window but have no reference: no drift for them. */
  versionsWithoutReference: string[];
  /** Worst first: alert, warn, then by JS distance. */
  rows: DriftTableRow[];
}

export interface DriftHeatmapCell {
  bucketStart: Date;
  /** Null where no value arrived in the bucket: a gap, not an `ok`. */
  status: DriftStatus | null;
  jsDistance: number | null;
  /** Non-missing current values behind the status. */
  count: number;
  inProgress: boolean;
}

export interface DriftHeatmapRow {
  target: ProfileTarget;
  name: string;
  kind: "numeric" | "categorical";
  /** Status over the whole window, as in the table. */
  status: DriftStatus;
  cells: DriftHeatmapCell[];
}

export interface DriftHeatmap {
  window: DriftWindow;
  unavailable: DriftUnavailable | null;
  bucketStarts: Date[];
  /** Same order as the table: worst first. */
  rows: DriftHeatmapRow[];
}

export interface DrillDownBin {
  label: string;
  referenceCount: number;
  currentCount: number;
  referenceShare: number;
  currentShare: number;
  /** The out-of-vocabulary bin (values or categories the reference never saw). */
  outOfVocabulary: boolean;
}

export interface DrillDownStatistic {
  key: string;
  label: string;
  value: number | null;
  /** One sentence of plain meaning. */
  meaning: string;
}

export interface DrillDownSampleSizes {
  reference: number;
  current: number;
  bins: number;
  /** Whether the window is large enough for `ok` to mean ok (the spec's inconclusive rule). */
  conclusive: boolean;
  /** Current values needed for a conclusive result; null when no window can be (reference too small). */
  minimumCurrentForConclusive: number | null;
  explanation: string;
}

export interface DrillDownBucket {
  bucketStart: Date;
  inProgress: boolean;
  status: DriftStatus | null;
  jsDistance: number | null;
  /** Non-missing values. */
  count: number;
  /** All records (values, missing and wrong-typed); null where none arrived. */
  records: number | null;
  missingShare: number | null;
  typeMismatchShare: number | null;
  outOfRangeShare: number | null;
  unseenShare: number | null;
}

export interface FeatureDrillDown {
  window: DriftWindow;
  unavailable: DriftUnavailable | null;
  target: ProfileTarget;
  name: string;
  kind: "numeric" | "categorical" | null;
  /** The version shown: the slice's, or the one whose drift is worst. */
  version: string | null;
  reference: DriftReference | null;
  status: DriftStatus;
  primary: "js_distance" | "binary" | null;
  bins: DrillDownBin[];
  statistics: DrillDownStatistic[];
  sampleSizes: DrillDownSampleSizes | null;
  bucketStarts: Date[];
  buckets: DrillDownBucket[];
  /** Every version compared, each against its own reference. */
  versions: VersionDriftSummary[];
}
