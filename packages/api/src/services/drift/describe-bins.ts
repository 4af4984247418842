import type { ReferenceProfile } from "@plumbline/drift";

/** A profile bin as a person reads it, and the value that stands for it in moment estimates. */
export interface BinDescription {
  label: string;
  /** Midpoint of a numeric bin (the reference min / max close the open end bins), or its value. */
  representative: number | null;
  outOfVocabulary: boolean;
}

/** Short, exact-enough numbers for labels: 4 significant digits, no exponent for usual sizes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3))
    return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** Labels and representative values of every bin of a profile, aligned with its counts. */
export function describeBins(profile: ReferenceProfile): BinDescription[] {
  if (profile.kind === "categorical") {
    const bins: BinDescription[] = profile.categories.map((category) => ({
      label: category,
      representative: null,
      outOfVocabulary: false,
    }));
    if (profile.hasOther) {
      bins.push({
        label: "other reference categories",
        representative: null,
        outOfVocabulary: false,
      });
    }
    bins.push({
      label: "categories not in the reference",
      representative: null,
      outOfVocabulary: true,
    });
    return bins;
  }
  if (profile.bins.type === "value") {
    const bins: BinDescription[] = profile.bins.values.map((value) => ({
      label: formatNumber(value),
      representative: value,
      outOfVocabulary: false,
    }));
    bins.push({
      label: "values not in the reference",
      representative: null,
      outOfVocabulary: true,
    });
    return bins;
  }
  const edges = profile.bins.edges;
  if (edges.length === 0) {
    return [{ label: "all values", representative: profile.mean, outOfVocabulary: false }];
  }
  const low = profile.min ?? edges[0]!;
  const high = profile.max ?? edges[edges.length - 1]!;
  return Array.from({ length: edges.length + 1 }, (_, bin) => {
    const lower = bin === 0 ? low : edges[bin - 1]!;
    const upper = bin === edges.length ? high : edges[bin]!;
    const label =
      bin === 0
        ? `< ${formatNumber(edges[0]!)}`
        : bin === edges.length
          ? `≥ ${formatNumber(edges[bin - 1]!)}`
          : `${formatNumber(lower)} – ${formatNumber(upper)}`;
    return { label, representative: (lower + upper) / 2, outOfVocabulary: false };
  });
}

/**
 * Mean and population standard deviation estimated from bin counts, each bin standing at its
 * representative value (bins without one, the OOV bin, are left out). Rough by construction:
 * used only for sentences that say "about".
 */
export function estimateMoments(
  bins: readonly BinDescription[],
  counts: readonly number[],
): { mean: number; std: number } | null {
  let total = 0;
  let sum = 0;
  bins.forEach((bin, index) => {
    const count = counts[index] ?? 0;
    if (bin.representative === null || count <= 0) return;
    total += count;
    sum += count * bin.representative;
  });
  if (total === 0) return null;
  const mean = sum / total;
  let squares = 0;
  bins.forEach((bin, index) => {
    const count = counts[index] ?? 0;
    if (bin.representative === null || count <= 0) return;
    squares += count * (bin.representative - mean) ** 2;
  });
  return { mean, std: Math.sqrt(squares / total) };
}
