import type { RouterOutputs } from "@plumbline/api";

export type ModelHealth = RouterOutputs["dashboard"]["overview"]["models"][number];

export const OVERVIEW_SORT_KEYS = [
  "name",
  "traffic",
  "lowConfidence",
  "drift",
  "quality",
  "performance",
] as const;
export type OverviewSortKey = (typeof OVERVIEW_SORT_KEYS)[number];

const DRIFT_RANK: Record<string, number> = {
  alert: 4,
  warn: 3,
  inconclusive: 2,
  ok: 1,
  no_data: 0,
};

/** The number a column sorts by; a model without the figure sorts below every model with it. */
function sortValue(model: ModelHealth, key: Exclude<OverviewSortKey, "name">): number {
  switch (key) {
    case "traffic":
      return model.trafficCount;
    case "lowConfidence":
      return model.lowConfidenceShare ?? -1;
    case "drift":
      return model.worstDriftingFeature
        ? DRIFT_RANK[model.worstDriftingFeature.status]! * 10 +
            model.worstDriftingFeature.jsDistance
        : -1;
    case "quality":
      return model.dataQualityIssueCount;
    case "performance":
      return model.latestPerformance?.labelCoverage ?? -1;
  }
}

/**
 * The models a search keeps (name, slug or task contain every word, case-insensitive), sorted
 * by a column. Ties keep name order, so the list does not jump between refreshes.
 */
export function selectOverviewRows(
  models: readonly ModelHealth[],
  search: string,
  key: OverviewSortKey,
  direction: "asc" | "desc",
): ModelHealth[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = models.filter((model) => {
    const text = `${model.name} ${model.slug} ${model.task}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const byName = (a: ModelHealth, b: ModelHealth) => a.name.localeCompare(b.name);
  const sign = direction === "asc" ? 1 : -1;
  return kept.sort((a, b) =>
    key === "name"
      ? sign * byName(a, b)
      : sign * (sortValue(a, key) - sortValue(b, key)) || byName(a, b),
  );
}
