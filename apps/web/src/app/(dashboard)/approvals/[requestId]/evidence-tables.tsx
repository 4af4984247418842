import type { RouterOutputs } from "@plumbline/api";

import { Badge } from "~/components/ui/badge";

type Promotion = RouterOutputs["promotions"]["get"];
type Metric = Promotion["evaluations"][number]["metrics"][number];
type Group = Promotion["evaluations"][number]["groups"][number];

/** Three decimals: a gate on AUC moves in the third. */
function formatScore(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

const outcomeTone = {
  pass: "success",
  fail: "danger",
  inconclusive: "canary",
  error: "danger",
} as const;

const th = "px-5 py-2 text-left text-[11px] font-medium uppercase tracking-wider text-ink-faint";
const td = "px-5 py-2.5 text-[13px]";

function metricKey(metric: Metric) {
  return `${metric.metric}|${metric.slice}`;
}

/** The candidate's metrics beside the ones of the version it replaces (recorded at request), with the delta. */
export function MetricsComparison({
  candidate,
  baseline,
}: {
  candidate: Metric[];
  baseline: Metric[] | null;
}) {
  const baselineByKey = new Map((baseline ?? []).map((metric) => [metricKey(metric), metric]));
  if (candidate.length === 0) {
    return <p className="px-5 py-4 text-[13px] text-ink-muted">No metrics were evaluated.</p>;
  }
  return (
    <table className="w-full">
      <thead className="border-b border-line">
        <tr>
          <th className={th}>Metric</th>
          <th className={`${th} text-right`}>Candidate</th>
          <th className={`${th} text-right`}>Replaced</th>
          <th className={`${th} text-right`}>Delta</th>
        </tr>
      </thead>
      <tbody>
        {candidate.map((metric) => {
          const current = baselineByKey.get(metricKey(metric));
          const delta = current ? metric.value - current.value : null;
          return (
            <tr key={metricKey(metric)} className="border-b border-line last:border-b-0">
              <td className={td}>
                <span className="font-medium text-ink">{metric.metric}</span>
                {metric.slice && metric.slice !== "overall" ? (
                  <span className="ml-1.5 text-xs text-ink-faint">{metric.slice}</span>
                ) : null}
              </td>
              <td className={`${td} text-right tabular-nums text-ink`}>
                {formatScore(metric.value)}
              </td>
              <td className={`${td} text-right tabular-nums text-ink-muted`}>
                {current ? formatScore(current.value) : "–"}
              </td>
              <td
                className={`${td} text-right font-medium tabular-nums ${
                  delta === null
                    ? "text-ink-faint"
                    : delta >= 0
                      ? "text-emerald-700"
                      : "text-danger"
                }`}
              >
                {delta === null ? "–" : `${delta >= 0 ? "+" : ""}${delta.toFixed(3)}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Positive rate and true-positive rate per group, from the fairness evaluation's counts. */
export function FairnessByGroup({ groups }: { groups: Group[] }) {
  if (groups.length === 0) {
    return <p className="px-5 py-4 text-[13px] text-ink-muted">No fairness evaluation.</p>;
  }
  return (
    <table className="w-full">
      <thead className="border-b border-line">
        <tr>
          <th className={th}>Group</th>
          <th className={`${th} text-right`}>n</th>
          <th className={`${th} text-right`}>Positive rate</th>
          <th className={`${th} text-right`}>True positive rate</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => {
          const n =
            group.truePositives + group.falsePositives + group.trueNegatives + group.falseNegatives;
          const positives = group.truePositives + group.falseNegatives;
          return (
            <tr
              key={`${group.feature}=${group.group}`}
              className="border-b border-line last:border-b-0"
            >
              <td className={td}>
                <span className="text-ink-faint">{group.feature} = </span>
                <span className="font-medium text-ink">{group.group}</span>
              </td>
              <td className={`${td} text-right tabular-nums text-ink-muted`}>{n}</td>
              <td className={`${td} text-right tabular-nums`}>
                {n > 0 ? formatScore((group.truePositives + group.falsePositives) / n) : "–"}
              </td>
              <td className={`${td} text-right tabular-nums`}>
                {positives > 0 ? formatScore(group.truePositives / positives) : "–"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Each gate with what was observed, the threshold and the outcome; inconclusive is a warning. */
type GateResult = Promotion["gateResults"][number];

/** A card gate counts sections ("11 of 12 sections"); the others show a score. */
function observedText(result: GateResult): string {
  if (result.observed === null) return "–";
  if (result.ruleKind === "model_card_complete") {
    return `${result.observed} of ${result.threshold ?? "?"} sections`;
  }
  return formatScore(result.observed);
}

function thresholdText(result: GateResult): string {
  if (result.threshold === null) return "–";
  if (result.ruleKind === "model_card_complete") return `all ${result.threshold}, approved`;
  return `${result.comparator ?? ""} ${formatScore(result.threshold)}`;
}

export function GateResults({ results }: { results: Promotion["gateResults"] }) {
  if (results.length === 0) {
    return <p className="px-5 py-4 text-[13px] text-ink-muted">The gates have not run yet.</p>;
  }
  return (
    <table className="w-full">
      <thead className="border-b border-line">
        <tr>
          <th className={th}>Gate</th>
          <th className={`${th} text-right`}>Observed</th>
          <th className={`${th} text-right`}>Threshold</th>
          <th className={th}>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {results.map((result) => (
          <tr
            key={result.id}
            data-testid="gate-result-row"
            data-outcome={result.outcome}
            className="border-b border-line align-top last:border-b-0"
          >
            <td className={td}>
              <div className="font-medium text-ink">
                {result.ruleId}
                {result.subject ? (
                  <span className="ml-1.5 font-normal text-ink-faint">{result.subject}</span>
                ) : null}
              </div>
              <p className="mt-0.5 text-xs text-ink-muted">{result.message}</p>
            </td>
            <td className={`${td} text-right tabular-nums`}>{observedText(result)}</td>
            <td className={`${td} text-right tabular-nums text-ink-muted`}>
              {thresholdText(result)}
            </td>
            <td className={td}>
              <Badge tone={outcomeTone[result.outcome]}>
                {result.outcome === "inconclusive" ? "warning: inconclusive" : result.outcome}
              </Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
