import { chiSquareQuantile } from "./chi-square-distribution";
import { chiSquareHomogeneity } from "./chi-square-homogeneity";
import { resolveDriftOptions } from "./drift-options";
import type { DriftOptions, ResolvedDriftOptions } from "./drift-options";
import { hellinger } from "./hellinger";
import { jensenShannon } from "./jensen-shannon";
import { missingShareTest } from "./missing-share";
import {
  populationStabilityIndex,
  populationStabilityIndexEpsilonFloor,
  total,
} from "./population-stability-index";
import type {
  AppliedThresholds,
  BinaryStatistics,
  BinnedStatistics,
  CountsDrift,
  DriftStatus,
  ReferenceProfile,
} from "./types";

export interface CompareCountsOptions extends DriftOptions {
  /** Missing values in the current window; when given, the result carries the missing test. */
  currentMissing?: number;
}

/**
 * Drift of a current window given only its bin counts (aligned with `profile.counts`, OOV
 * last), as dashboards compute it from SQL rollups: the binned block (PSI, epsilon-floor PSI,
 * JS distance and divergence, Hellinger, binned chi-square), the binary block for two-valued
 * columns, and the statuses. O(K) per feature; no raw reference needed.
 *
 * Status rules (defaults in `DriftOptions`):
 * - jsStatus: `alert` when JS >= 0.2, `warn` when >= 0.1, each only when the binned chi-square
 *   p < 0.05; psiStatus: the same gate with 0.1 / 0.25.
 * - primary: "binary" for two-valued columns (2 x 2 chi-square p < 0.05 and share difference
 *   >= 0.05 warn, >= 0.10 alert), else "js_distance".
 * - an `ok` becomes `inconclusive` when (1/n + 1/m) chi2_0.95(K - 1) >= 0.25: the window is too
 *   small for the alert level to be reachable by noise-free data;
 * - `no_data` when either window has no non-missing value.
 *
 * Non-finite or negative counts count as 0. Throws RangeError when the counts do not have one
 * entry per profile bin (a programming error, not a data condition).
 *
 * @example
 * import { buildProfile, compareCounts } from "@plumbline/drift";
 * const profile = buildProfile(["a", "b", "a", "c"], { kind: "categorical" });
 * compareCounts(profile, [10, 10, 10, 0]).status; // "ok" or "inconclusive"
 */
export function compareCounts(
  profile: ReferenceProfile,
  currentCounts: ArrayLike<number>,
  options: CompareCountsOptions = {},
): CountsDrift {
  if (currentCounts.length !== profile.counts.length) {
    throw new RangeError(
      `expected ${profile.counts.length} current counts (one per profile bin), got ${currentCounts.length}`,
    );
  }
  const resolved = resolveDriftOptions(options);
  const counts = Array.from(currentCounts, (c) => (Number.isFinite(c) && c > 0 ? c : 0));
  const missing = options.currentMissing;
  return evaluateCounts(profile, counts, missing ?? null, resolved);
}

/** Shared by compareCounts and compareToProfile. */
export function evaluateCounts(
  profile: ReferenceProfile,
  curCounts: number[],
  currentMissing: number | null,
  options: ResolvedDriftOptions,
): CountsDrift {
  const refCounts = profile.counts;
  const n = profile.n;
  const m = total(curCounts);
  const js = jensenShannon(refCounts, curCounts);
  const binned: BinnedStatistics = {
    refCounts: refCounts.slice(),
    curCounts,
    psi: populationStabilityIndex(refCounts, curCounts),
    psiEpsFloor: populationStabilityIndexEpsilonFloor(refCounts, curCounts),
    jsDistance: js.distance,
    jsDivergence: js.divergence,
    hellinger: hellinger(refCounts, curCounts),
    chi2: chiSquareHomogeneity(refCounts, curCounts),
  };
  const binary = binaryStatistics(profile, curCounts, n, m);
  const thresholds = appliedThresholds(profile, options);
  const missing =
    currentMissing === null
      ? null
      : missingShareTest(profile.missing, profile.missing + n, currentMissing, currentMissing + m, {
          alpha: options.alpha,
          minChange: options.missingMinChange,
        });
  const primary = binary ? "binary" : "js_distance";
  if (n === 0 || m === 0) {
    return {
      kind: profile.kind,
      n: { reference: n, current: m },
      binned,
      binary,
      missing,
      psiStatus: "no_data",
      jsStatus: "no_data",
      primary,
      status: "no_data",
      thresholds,
    };
  }
  const gate = binned.chi2.pvalue < options.alpha;
  const inconclusive =
    (1 / n + 1 / m) * chiSquareQuantile(options.inconclusiveQuantile, refCounts.length - 1) >=
    options.inconclusiveLevel;
  const settle = (status: DriftStatus): DriftStatus =>
    status === "ok" && inconclusive ? "inconclusive" : status;
  const jsStatus = settle(level(binned.jsDistance, gate, thresholds.jsWarn, thresholds.jsAlert));
  const psiStatus = settle(level(binned.psi, gate, thresholds.psiWarn, thresholds.psiAlert));
  const status = binary
    ? settle(
        level(
          binary.absDiff,
          binary.pvalue < options.alpha,
          options.binaryWarn,
          options.binaryAlert,
        ),
      )
    : jsStatus;
  return {
    kind: profile.kind,
    n: { reference: n, current: m },
    binned,
    binary,
    missing,
    psiStatus,
    jsStatus,
    primary,
    status,
    thresholds,
  };
}

function level(value: number, gate: boolean, warn: number, alert: number): DriftStatus {
  if (!gate) return "ok";
  if (value >= alert) return "alert";
  if (value >= warn) return "warn";
  return "ok";
}

function appliedThresholds(
  profile: ReferenceProfile,
  options: ResolvedDriftOptions,
): AppliedThresholds {
  const calibration = profile.calibration;
  if (options.thresholdMode === "calibrated" && calibration) {
    const { jsDistance, psi } = calibration;
    return {
      mode: "calibrated",
      jsWarn: jsDistance.mean + options.calibrationWarnSds * jsDistance.sd,
      jsAlert: jsDistance.mean + options.calibrationAlertSds * jsDistance.sd,
      psiWarn: psi.mean + options.calibrationWarnSds * psi.sd,
      psiAlert: psi.mean + options.calibrationAlertSds * psi.sd,
    };
  }
  return {
    mode: "fixed",
    jsWarn: options.jsWarn,
    jsAlert: options.jsAlert,
    psiWarn: options.psiWarn,
    psiAlert: options.psiAlert,
  };
}

/** Bin of the binary column's second value (the share reported), or -1 when not binary. */
export function binaryBin(profile: ReferenceProfile): number {
  if (!profile.binary) return -1;
  if (profile.kind === "numeric") return 1;
  return profile.categories.indexOf(profile.binary.values[1]);
}

function binaryStatistics(
  profile: ReferenceProfile,
  curCounts: number[],
  n: number,
  m: number,
): BinaryStatistics | null {
  const bin = binaryBin(profile);
  if (bin < 0) return null;
  const positiveRef = profile.counts[bin] as number;
  const positiveCur = curCounts[bin] as number;
  const shareRef = n > 0 ? positiveRef / n : 0;
  const shareCur = m > 0 ? positiveCur / m : 0;
  const test = chiSquareHomogeneity([n - positiveRef, positiveRef], [m - positiveCur, positiveCur]);
  return {
    shareRef,
    shareCur,
    absDiff: Math.abs(shareCur - shareRef),
    chi2: test.statistic,
    pvalue: test.pvalue,
  };
}
