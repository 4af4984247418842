import type { LoadedReference } from "../drift/load-references";
import type { PerformanceSummary } from "../performance/summarize-performance";
import type { Span } from "./monitor-target";

/** The window of the newest reference built from production traffic (uploads have none). */
export function newestReferenceWindow(references: Map<string, LoadedReference>): Span | null {
  let newest: { builtAt: Date; window: Span } | null = null;
  for (const { reference } of references.values()) {
    if (!reference.window) continue;
    if (!newest || reference.builtAt > newest.builtAt) {
      newest = { builtAt: reference.builtAt, window: reference.window };
    }
  }
  return newest?.window ?? null;
}

/** One statistic of a performance summary and the labelled pairs behind it. */
export function performanceStatistic(
  summary: PerformanceSummary,
  statistic: string,
): { value: number | null; samples: number } {
  const classification = summary.classification;
  const regression = summary.regression;
  switch (statistic) {
    case "accuracy":
      return { value: classification?.accuracy ?? null, samples: classification?.count ?? 0 };
    case "precision":
    case "recall":
    case "f1":
      return {
        value: classification?.macro[statistic] ?? null,
        samples: classification?.count ?? 0,
      };
    case "roc_auc":
      return {
        value: summary.binary?.rocAuc ?? null,
        samples: (summary.binary?.positives ?? 0) + (summary.binary?.negatives ?? 0),
      };
    case "rmse":
      return { value: regression?.rmse ?? null, samples: regression?.count ?? 0 };
    default:
      return { value: regression?.mae ?? null, samples: regression?.count ?? 0 };
  }
}
