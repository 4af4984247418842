import { chiSquareQuantile, DEFAULT_DRIFT_OPTIONS } from "@plumbline/drift";

import { estimateMoments, formatNumber, type BinDescription } from "./describe-bins";
import type { DrillDownSampleSizes, DrillDownStatistic } from "./drift-output";
import { recordsOf, type EvaluatedCounts } from "./evaluate-counts";

const percent = (share: number) => `${formatNumber(share * 100)}%`;
const pValueText = (p: number) => (p < 1e-4 ? "below 0.0001" : formatNumber(p));

/** Every statistic of the drill-down with one sentence of plain meaning. */
export function describeStatistics(
  result: EvaluatedCounts,
  bins: readonly BinDescription[],
): DrillDownStatistic[] {
  const { drift, profile, counts } = result;
  const options = DEFAULT_DRIFT_OPTIONS;
  const statistics: DrillDownStatistic[] = [];
  const records = recordsOf(counts);
  const referenceRecords = profile.n + profile.missing;
  const referenceMissing = referenceRecords > 0 ? profile.missing / referenceRecords : 0;

  if (drift.status !== "no_data") {
    const { binned } = drift;
    statistics.push({
      key: "js_distance",
      label: "JS distance",
      value: binned.jsDistance,
      meaning:
        `The current and reference distributions differ by ${formatNumber(binned.jsDistance)} ` +
        "on a scale from 0 (identical) to 1 (no overlap); " +
        `warn from ${drift.thresholds.jsWarn}, alert from ${formatNumber(drift.thresholds.jsAlert)}.`,
    });
    const psiLevel =
      binned.psi >= options.psiAlert
        ? "a major shift"
        : binned.psi >= options.psiWarn
          ? "a moderate shift"
          : "no notable shift";
    statistics.push({
      key: "psi",
      label: "PSI",
      value: binned.psi,
      meaning: `A population stability index of ${formatNumber(binned.psi)} reads as ${psiLevel} by the usual rule (0.1 moderate, 0.25 major).`,
    });
    statistics.push({
      key: "chi_square_p",
      label: "Chi-square p-value",
      value: binned.chi2.pvalue,
      meaning:
        `If nothing had changed, bin shares at least this different would turn up by chance with probability ${pValueText(binned.chi2.pvalue)} ` +
        `(chi-square ${formatNumber(binned.chi2.statistic)} on ${binned.chi2.dof} degrees of freedom); ` +
        `drift is only reported below ${options.alpha}.`,
    });
    statistics.push({
      key: "hellinger",
      label: "Hellinger distance",
      value: binned.hellinger,
      meaning: `Another overlap measure from 0 (identical) to 1 (disjoint): ${formatNumber(binned.hellinger)}, less swayed by rare bins than PSI.`,
    });
    if (drift.binary) {
      const value = bins[profile.kind === "numeric" ? 1 : 0]?.label ?? "the second value";
      const label = profile.binary ? String(profile.binary.values[1]) : value;
      statistics.push({
        key: "binary_share",
        label: `Share of ${label}`,
        value: drift.binary.shareCur,
        meaning:
          `${percent(drift.binary.shareCur)} of current values are ${label} against ${percent(drift.binary.shareRef)} in the reference, ` +
          `a difference of ${formatNumber(drift.binary.absDiff * 100)} points (warn from ${options.binaryWarn * 100}, alert from ${options.binaryAlert * 100}).`,
      });
    }
    if (profile.kind === "numeric") statistics.push(...describeMoments(result, bins));
    const largest = largestChange(result, bins);
    if (largest) statistics.push(largest);
  }
  if (records > 0) {
    const missingShare = counts.missing / records;
    const test = drift.missing;
    statistics.push({
      key: "missing_share",
      label: "Missing share",
      value: missingShare,
      meaning:
        `${percent(missingShare)} of current records have no value against ${percent(referenceMissing)} in the reference` +
        (test
          ? test.drift
            ? " — a real change (p " + pValueText(test.pvalue) + ")."
            : ", within what chance explains."
          : "."),
    });
    if (counts.typeMismatch > 0) {
      statistics.push({
        key: "type_mismatch_share",
        label: "Wrong type",
        value: counts.typeMismatch / records,
        meaning: `${percent(counts.typeMismatch / records)} of current records carry a value of the wrong type (text for a number, a list) and are left out of the statistics.`,
      });
    }
  }
  if (drift.n.current > 0) {
    const unseenShare = counts.unseen / drift.n.current;
    if (
      profile.kind === "categorical" ||
      (profile.kind === "numeric" && profile.bins.type === "value")
    ) {
      statistics.push({
        key: "unseen_share",
        label: "Unseen values",
        value: unseenShare,
        meaning:
          unseenShare > 0
            ? `${percent(unseenShare)} of current values are ${profile.kind === "categorical" ? "categories" : "values"} the reference never saw.`
            : "Every current value was seen in the reference.",
      });
    }
    if (profile.kind === "numeric" && profile.min !== null && profile.max !== null) {
      const outOfRange = counts.outOfRange / drift.n.current;
      statistics.push({
        key: "out_of_range_share",
        label: "Out of range",
        value: outOfRange,
        meaning: `${percent(outOfRange)} of current values fall outside the reference's range ${formatNumber(profile.min)} to ${formatNumber(profile.max)}.`,
      });
    }
  }
  return statistics;
}

/** Mean shift in reference standard deviations and spread ratio, estimated from the bins. */
function describeMoments(
  result: EvaluatedCounts,
  bins: readonly BinDescription[],
): DrillDownStatistic[] {
  const { profile, drift } = result;
  if (profile.kind !== "numeric") return [];
  const reference = estimateMoments(bins, drift.binned.refCounts);
  const current = estimateMoments(bins, drift.binned.curCounts);
  if (!reference || !current) return [];
  const statistics: DrillDownStatistic[] = [];
  // The profile's exact std is the unit; the bin estimates are compared with each other so that
  // the binning's own bias cancels out.
  const unit = profile.std !== null && profile.std > 0 ? profile.std : reference.std;
  if (unit > 0) {
    const shift = (current.mean - reference.mean) / unit;
    const direction = shift >= 0 ? "higher" : "lower";
    statistics.push({
      key: "mean_shift_sd",
      label: "Mean shift (estimated)",
      value: shift,
      meaning:
        Math.abs(shift) < 0.05
          ? `The current values are centred about where the reference's are (estimated from the bins: about ${formatNumber(current.mean)} against ${formatNumber(reference.mean)}).`
          : `The current values sit about ${formatNumber(Math.abs(shift))} standard deviations ${direction} than the reference ` +
            `(estimated from the bins: about ${formatNumber(current.mean)} against ${formatNumber(reference.mean)}).`,
    });
  }
  if (reference.std > 0) {
    const ratio = current.std / reference.std;
    statistics.push({
      key: "spread_ratio",
      label: "Spread ratio (estimated)",
      value: ratio,
      meaning:
        Math.abs(ratio - 1) < 0.05
          ? "The current values are about as spread out as the reference's (estimated from the bins)."
          : `The current values are about ${formatNumber(ratio)} times as spread out as the reference's (estimated from the bins).`,
    });
  }
  return statistics;
}

/** The bin whose share moved most, in words. */
function largestChange(
  result: EvaluatedCounts,
  bins: readonly BinDescription[],
): DrillDownStatistic | null {
  const { refCounts, curCounts } = result.drift.binned;
  const n = result.drift.n.reference;
  const m = result.drift.n.current;
  if (n === 0 || m === 0) return null;
  let best = -1;
  let bestChange = 0;
  refCounts.forEach((count, bin) => {
    const change = (curCounts[bin] ?? 0) / m - count / n;
    if (best < 0 || Math.abs(change) > Math.abs(bestChange)) {
      best = bin;
      bestChange = change;
    }
  });
  const label = bins[best]?.label ?? `bin ${best + 1}`;
  return {
    key: "largest_bin_change",
    label: "Largest change",
    value: bestChange,
    meaning: `The largest change is in "${label}": ${percent((curCounts[best] ?? 0) / m)} of current values against ${percent((refCounts[best] ?? 0) / n)} in the reference.`,
  };
}

/**
 * The spec's inconclusive rule in numbers: a window is conclusive when
 * (1/n + 1/m) chi2_0.95(K - 1) < 0.25, that is when chance differences between a window of m
 * values and the reference cannot reach the alert level. Solved for m, that is the window size
 * a user needs.
 */
export function describeSampleSizes(result: EvaluatedCounts): DrillDownSampleSizes {
  const options = DEFAULT_DRIFT_OPTIONS;
  const n = result.drift.n.reference;
  const m = result.drift.n.current;
  const bins = result.profile.counts.length;
  const quantile = chiSquareQuantile(options.inconclusiveQuantile, Math.max(bins - 1, 1));
  const room = options.inconclusiveLevel / quantile - (n > 0 ? 1 / n : Infinity);
  const minimum = room > 0 ? Math.floor(1 / room) + 1 : null;
  const level = m > 0 && n > 0 ? (1 / n + 1 / m) * quantile : Infinity;
  const conclusive = level < options.inconclusiveLevel;
  let explanation: string;
  if (m === 0) {
    explanation = "No current values in this window: nothing to compare yet.";
  } else if (conclusive) {
    explanation =
      `${m} current values against ${n} reference values over ${bins} bins are enough: ` +
      "chance differences this large would stay well below the alert level.";
  } else if (minimum === null) {
    explanation =
      `The reference itself is too small (${n} values over ${bins} bins) for any window to be conclusive: ` +
      "chance differences could reach the alert level whatever the window size. Build a larger reference.";
  } else {
    explanation =
      `Inconclusive: with ${m} current values against ${n} reference values over ${bins} bins, differences ` +
      `from chance alone could reach the alert level ((1/${n} + 1/${m}) × ${formatNumber(quantile)} = ` +
      `${formatNumber(level)}, at least ${options.inconclusiveLevel}), so a calm window cannot be told from drift. ` +
      `About ${minimum} current values are needed: widen the time range.`;
  }
  return {
    reference: n,
    current: m,
    bins,
    conclusive,
    minimumCurrentForConclusive: minimum,
    explanation,
  };
}
