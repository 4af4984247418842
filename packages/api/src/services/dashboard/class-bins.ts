import type { ReferenceProfile } from "@plumbline/drift";

/** The class name under which rare classes, the profile's `other` bin and unseen classes go. */
export const OTHER_CLASS = "other";

/**
 * The class each bin of a prediction profile counts: a categorical profile's own categories,
 * then its `other` bin and the out-of-vocabulary bin (both OTHER_CLASS); a value-binned numeric
 * profile (labels such as 0 / 1) its values, then the OOV bin. Null for quantile bins, which
 * hold ranges of a continuous output, not classes.
 *
 * @example
 * binClasses({ kind: "numeric", bins: { type: "value", values: [0, 1] }, ... }); // ["0", "1", "other"]
 */
export function binClasses(profile: ReferenceProfile): string[] | null {
  if (profile.kind === "categorical") {
    const classes = [...profile.categories];
    while (classes.length < profile.counts.length) classes.push(OTHER_CLASS);
    return classes;
  }
  if (profile.bins.type !== "value") return null;
  return [...profile.bins.values.map(String), OTHER_CLASS];
}

/**
 * The `limit` most frequent classes (count, then name) followed by OTHER_CLASS when any other
 * class has predictions; OTHER_CLASS itself never takes a top place.
 */
export function topClasses(totals: ReadonlyMap<string, number>, limit: number): string[] {
  const ranked = [...totals.entries()]
    .filter(([name]) => name !== OTHER_CLASS)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const top = ranked.slice(0, limit).map(([name]) => name);
  const rest = ranked.slice(limit).reduce((sum, [, count]) => sum + count, 0);
  return rest + (totals.get(OTHER_CLASS) ?? 0) > 0 ? [...top, OTHER_CLASS] : top;
}
