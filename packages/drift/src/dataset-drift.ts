import { benjaminiHochberg } from "./benjamini-hochberg";
import type { CountsDrift } from "./types";

export interface DatasetDriftOptions {
  /** The dataset drifts when the (weighted) share of features at `alert` is >= this: 0.5. */
  alertShare?: number;
  /** Importance weights by feature name; missing names weigh 1, negative weights count 0. */
  weights?: Readonly<Record<string, number>>;
  /**
   * Count a feature's alert only when its Benjamini-Hochberg adjusted gate p-value (the binned
   * chi-square, or the 2 x 2 chi-square for binary columns) is below `alpha`: false.
   */
  benjaminiHochberg?: boolean;
  /** FDR level for the Benjamini-Hochberg step: 0.05. */
  alpha?: number;
}

export interface DatasetDriftResult {
  /** Weighted share of features (with data) at `alert`, in [0, 1]; 0 when none has data. */
  share: number;
  /** share >= alertShare, and at least one feature has data. */
  drift: boolean;
  /** Features considered (status other than `no_data`). */
  features: number;
  noData: string[];
  alerted: string[];
  /** Adjusted gate p-values by feature, when Benjamini-Hochberg was asked for. */
  adjustedPvalues: Record<string, number> | null;
}

/**
 * Dataset-level drift: share = sum_i w_i [status_i = alert] / sum_i w_i over the features with
 * data, and drift when share >= 0.5. Features with `no_data` are listed and left out of the
 * denominator, so a dead column cannot dilute nor fake drift.
 *
 * @example
 * import { datasetDrift } from "@plumbline/drift";
 * datasetDrift({ age: ageDrift, income: incomeDrift }, { weights: { income: 2 } });
 */
export function datasetDrift(
  features: Readonly<Record<string, CountsDrift>>,
  options: DatasetDriftOptions = {},
): DatasetDriftResult {
  const alertShare = options.alertShare ?? 0.5;
  const alpha = options.alpha ?? 0.05;
  const names = Object.keys(features);
  const withData = names.filter((name) => features[name]?.status !== "no_data");
  const noData = names.filter((name) => features[name]?.status === "no_data");
  let adjustedPvalues: Record<string, number> | null = null;
  if (options.benjaminiHochberg) {
    const gates = withData.map((name) => gatePValue(features[name] as CountsDrift));
    const adjusted = benjaminiHochberg(gates);
    adjustedPvalues = {};
    withData.forEach((name, i) => {
      (adjustedPvalues as Record<string, number>)[name] = adjusted[i] as number;
    });
  }
  let weightTotal = 0;
  let weightAlert = 0;
  const alerted: string[] = [];
  for (const name of withData) {
    const raw = options.weights?.[name] ?? 1;
    const weight = Number.isFinite(raw) && raw > 0 ? raw : 0;
    weightTotal += weight;
    const feature = features[name] as CountsDrift;
    const significant = adjustedPvalues === null || (adjustedPvalues[name] as number) < alpha;
    if (feature.status === "alert" && significant) {
      weightAlert += weight;
      alerted.push(name);
    }
  }
  const share = weightTotal > 0 ? weightAlert / weightTotal : 0;
  return {
    share,
    drift: weightTotal > 0 && share >= alertShare,
    features: withData.length,
    noData,
    alerted,
    adjustedPvalues,
  };
}

function gatePValue(feature: CountsDrift): number {
  return feature.primary === "binary" && feature.binary
    ? feature.binary.pvalue
    : feature.binned.chi2.pvalue;
}
