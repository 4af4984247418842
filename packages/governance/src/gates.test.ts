import { describe, expect, it } from "vitest";

import type { Evaluation, EvaluationMetric, FairnessGroupCounts } from "./evaluation";
import type { GateRule } from "./gate-rules";
import { DEFAULT_GATE_RULES } from "./gate-rules";
import type { GateInputs } from "./gates";
import { evaluateGates, summarizeGateResults } from "./gates";
import { MODEL_CARD_REQUIRED_SECTIONS } from "./model-card";
import { defaultGatePolicy, effectiveGateRules } from "./policy";

function metric(
  name: string,
  value: number,
  extra: Partial<EvaluationMetric> = {},
): EvaluationMetric {
  return { metric: name, slice: null, value, ...extra };
}

function holdout(...metrics: EvaluationMetric[]): Evaluation {
  return { kind: "holdout", outcome: "pass", metrics, groups: [] };
}

function groups(
  feature: string,
  ...rows: [string, number, number, number, number][]
): FairnessGroupCounts[] {
  return rows.map(([group, tp, fp, tn, fn]) => ({
    feature,
    group,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  }));
}

function fairness(...rows: FairnessGroupCounts[]): Evaluation {
  return { kind: "fairness", outcome: "pass", metrics: [], groups: rows };
}

function run(rules: GateRule[], partial: Partial<GateInputs>) {
  return evaluateGates({
    rules,
    evaluations: [],
    baselineMetrics: null,
    modelCardMissingSections: [],
    ...partial,
  });
}

const aucAtLeast = (value: number, slice: string | null = null): GateRule => ({
  id: "auc-min",
  kind: "metric_threshold",
  metric: "auc",
  slice,
  comparator: ">=",
  value,
  onFail: "block",
});

const aucVsBaseline: GateRule = {
  id: "auc-vs-baseline",
  kind: "metric_vs_baseline",
  metric: "auc",
  slice: null,
  comparator: ">=",
  delta: 0.01,
  onFail: "block",
};

const dpRatio: GateRule = {
  id: "dp",
  kind: "fairness",
  metric: "demographic_parity_ratio",
  sensitiveFeature: null,
  comparator: ">=",
  value: 0.8,
  onFail: "require_override",
};

describe("metric threshold rules", () => {
  it("passes and fails `metric >= value`, carrying observed and threshold", () => {
    const [pass] = run([aucAtLeast(0.75)], { evaluations: [holdout(metric("auc", 0.81))] });
    expect(pass).toMatchObject({
      ruleId: "auc-min",
      observed: 0.81,
      threshold: 0.75,
      comparator: ">=",
      outcome: "pass",
    });
    const [fail] = run([aucAtLeast(0.85)], { evaluations: [holdout(metric("auc", 0.81))] });
    expect(fail).toMatchObject({ outcome: "fail", onFail: "block" });
    expect(fail?.message).toBe("auc = 0.81 does not meet >= 0.85.");
  });

  it("supports `<=` for lower-is-better metrics", () => {
    const rule: GateRule = { ...aucAtLeast(0.3), metric: "log_loss", comparator: "<=" } as GateRule;
    expect(run([rule], { evaluations: [holdout(metric("log_loss", 0.29))] })[0]?.outcome).toBe(
      "pass",
    );
    expect(run([rule], { evaluations: [holdout(metric("log_loss", 0.31))] })[0]?.outcome).toBe(
      "fail",
    );
  });

  it("is an error when the metric was never reported", () => {
    expect(run([aucAtLeast(0.7)], { evaluations: [holdout(metric("f1", 0.7))] })[0]).toMatchObject({
      outcome: "error",
      observed: null,
    });
  });

  it("reads the last value when a metric is reported twice", () => {
    const evaluations = [holdout(metric("auc", 0.6)), holdout(metric("auc", 0.9))];
    expect(run([aucAtLeast(0.8)], { evaluations })[0]).toMatchObject({
      observed: 0.9,
      outcome: "pass",
    });
  });
});

describe("baseline rules", () => {
  const baselineMetrics = [metric("auc", 0.8)];

  it("AUC >= baseline - 0.01: passes within the delta, at the edge, and fails beyond it", () => {
    const observe = (value: number) =>
      run([aucVsBaseline], { evaluations: [holdout(metric("auc", value))], baselineMetrics })[0];
    expect(observe(0.795)).toMatchObject({ outcome: "pass", threshold: 0.8 - 0.01 });
    expect(observe(0.79)?.outcome).toBe("pass");
    expect(observe(0.7899)?.outcome).toBe("fail");
  });

  it("`<=` means candidate <= baseline + delta", () => {
    const rule: GateRule = {
      ...aucVsBaseline,
      metric: "log_loss",
      comparator: "<=",
      delta: 0.02,
    };
    const base = [metric("log_loss", 0.35)];
    expect(
      run([rule], { evaluations: [holdout(metric("log_loss", 0.36))], baselineMetrics: base })[0],
    ).toMatchObject({
      outcome: "pass",
      threshold: 0.37,
    });
    expect(
      run([rule], { evaluations: [holdout(metric("log_loss", 0.38))], baselineMetrics: base })[0]
        ?.outcome,
    ).toBe("fail");
  });

  it("is inconclusive without a baseline (a first release), never pass", () => {
    expect(run([aucVsBaseline], { evaluations: [holdout(metric("auc", 0.99))] })[0]).toMatchObject({
      outcome: "inconclusive",
      observed: 0.99,
      threshold: null,
    });
    expect(
      run([aucVsBaseline], {
        evaluations: [holdout(metric("auc", 0.99))],
        baselineMetrics: [metric("f1", 1)],
      })[0]?.outcome,
    ).toBe("inconclusive");
  });
});

describe("per-slice rules", () => {
  const sliced = holdout(
    metric("auc", 0.82),
    metric("auc", 0.8, { slice: "region=EU", n: 500 }),
    metric("auc", 0.7, { slice: "region=US", n: 800 }),
    metric("auc", 0.9, { slice: "region=NZ", n: 12 }),
  );

  it("reads a named slice", () => {
    expect(run([aucAtLeast(0.75, "region=EU")], { evaluations: [sliced] })[0]).toMatchObject({
      subject: "region=EU",
      observed: 0.8,
      outcome: "pass",
    });
    expect(run([aucAtLeast(0.75, "region=FR")], { evaluations: [sliced] })[0]?.outcome).toBe(
      "error",
    );
  });

  it("`*` yields one result per slice; a slice under minGroupSize is inconclusive", () => {
    const results = run([aucAtLeast(0.75, "*")], { evaluations: [sliced] });
    expect(results.map((r) => [r.subject, r.outcome])).toEqual([
      ["region=EU", "pass"],
      ["region=US", "fail"],
      ["region=NZ", "inconclusive"],
    ]);
    expect(results[2]?.message).toMatch(/12 rows, fewer than 30/);
  });

  it("`*` with no slices reported is an error", () => {
    expect(
      run([aucAtLeast(0.75, "*")], { evaluations: [holdout(metric("auc", 0.9))] })[0]?.outcome,
    ).toBe("error");
  });

  it("honours a policy-wide minGroupSize", () => {
    const results = run([aucAtLeast(0.75, "*")], { evaluations: [sliced], minGroupSize: 10 });
    expect(results[2]?.outcome).toBe("pass");
  });
});

describe("fairness rules", () => {
  // SR: a 0.5, b 0.25 -> ratio 0.5; c 0.45 -> ratio vs a 0.9
  const a: [string, number, number, number, number] = ["a", 40, 10, 40, 10];
  const b: [string, number, number, number, number] = ["b", 20, 5, 55, 20];
  const c: [string, number, number, number, number] = ["c", 30, 15, 45, 10];

  it("fails a demographic parity ratio under 0.8, as an overridable failure", () => {
    const [result] = run([dpRatio], { evaluations: [fairness(...groups("sex", a, b))] });
    expect(result).toMatchObject({
      subject: "sex",
      outcome: "fail",
      onFail: "require_override",
      threshold: 0.8,
    });
    expect(result?.observed).toBeCloseTo(0.5, 12);
  });

  it("passes when every group is large enough and the ratio holds", () => {
    const [result] = run([dpRatio], { evaluations: [fairness(...groups("sex", a, c))] });
    expect(result?.outcome).toBe("pass");
    expect(result?.observed).toBeCloseTo(0.9, 12);
  });

  it("a group under 30 makes an otherwise passing result inconclusive, never pass", () => {
    const [result] = run([dpRatio], {
      evaluations: [fairness(...groups("sex", a, c, ["tiny", 5, 5, 5, 5]))],
    });
    expect(result?.outcome).toBe("inconclusive");
    expect(result?.message).toMatch(/tiny/);
  });

  it("still fails when the adequately sized groups already fail", () => {
    const [result] = run([dpRatio], {
      evaluations: [fairness(...groups("sex", a, b, ["tiny", 5, 5, 5, 5]))],
    });
    expect(result?.outcome).toBe("fail");
    expect(result?.observed).toBeCloseTo(0.5, 12);
  });

  it("a per-rule minGroupSize overrides the policy's", () => {
    const rule = { ...dpRatio, minGroupSize: 10 } as GateRule;
    const evaluations = [fairness(...groups("sex", a, c, ["mid", 9, 1, 9, 1]))]; // n 20, SR 0.5
    expect(run([rule], { evaluations })[0]?.outcome).toBe("pass");
    expect(run([dpRatio], { evaluations })[0]?.outcome).toBe("inconclusive");
  });

  it("yields one result per sensitive feature when none is named", () => {
    const evaluations = [fairness(...groups("sex", a, c), ...groups("age", a, b))];
    expect(run([dpRatio], { evaluations }).map((r) => [r.subject, r.outcome])).toEqual([
      ["sex", "pass"],
      ["age", "fail"],
    ]);
  });

  it("equalized odds difference <= 0.1", () => {
    const rule: GateRule = {
      ...dpRatio,
      metric: "equalized_odds_difference",
      comparator: "<=",
      value: 0.1,
    };
    const [fail] = run([rule], { evaluations: [fairness(...groups("sex", a, b))] });
    expect(fail?.outcome).toBe("fail");
    expect(fail?.observed).toBeCloseTo(0.3, 12);
    expect(
      run([rule], { evaluations: [fairness(...groups("sex", a, ["a2", 41, 9, 41, 9]))] })[0]
        ?.outcome,
    ).toBe("pass");
  });

  it("is inconclusive when the metric is undefined (a group without positives)", () => {
    const rule: GateRule = {
      ...dpRatio,
      metric: "equal_opportunity_difference",
      comparator: "<=",
      value: 0.1,
    };
    expect(
      run([rule], { evaluations: [fairness(...groups("sex", a, ["neg", 0, 5, 45, 0]))] })[0]
        ?.outcome,
    ).toBe("inconclusive");
  });

  it("is an error when there is no fairness data, or not for the named feature", () => {
    expect(run([dpRatio], { evaluations: [] })[0]?.outcome).toBe("error");
    const named = { ...dpRatio, sensitiveFeature: "race" } as GateRule;
    expect(run([named], { evaluations: [fairness(...groups("sex", a, c))] })[0]).toMatchObject({
      outcome: "error",
      subject: "race",
    });
  });
});

describe("evaluation outcome and model card rules", () => {
  const schema: GateRule = {
    id: "schema",
    kind: "evaluation_outcome",
    evaluationKind: "schema_validation",
    onFail: "block",
  };
  const validation = (outcome: Evaluation["outcome"]): Evaluation => ({
    kind: "schema_validation",
    outcome,
    metrics: [],
    groups: [],
  });

  it("follows the latest evaluation of the kind", () => {
    expect(
      run([schema], { evaluations: [validation("fail"), validation("pass")] })[0]?.outcome,
    ).toBe("pass");
    expect(
      run([schema], { evaluations: [validation("pass"), validation("fail")] })[0]?.outcome,
    ).toBe("fail");
    expect(run([schema], { evaluations: [] })[0]?.outcome).toBe("error");
  });

  it("checks the model card's missing sections", () => {
    const card: GateRule = { id: "card", kind: "model_card_complete", onFail: "block" };
    expect(run([card], { modelCardMissingSections: null })[0]?.outcome).toBe("fail");
    expect(run([card], { modelCardMissingSections: ["considerations.users"] })[0]).toMatchObject({
      outcome: "fail",
      observed: MODEL_CARD_REQUIRED_SECTIONS.length - 1,
      threshold: MODEL_CARD_REQUIRED_SECTIONS.length,
      message: "The model card misses: considerations.users.",
    });
    // An approval still missing is named, but it is not a section: the count stays full.
    expect(
      run([card], { modelCardMissingSections: ["approval (the card is draft)"] })[0],
    ).toMatchObject({ outcome: "fail", observed: MODEL_CARD_REQUIRED_SECTIONS.length });
    expect(run([card], { modelCardMissingSections: [] })[0]).toMatchObject({
      outcome: "pass",
      observed: MODEL_CARD_REQUIRED_SECTIONS.length,
      threshold: MODEL_CARD_REQUIRED_SECTIONS.length,
    });
  });
});

describe("summarizeGateResults", () => {
  const outcomeOf = (rules: GateRule[], partial: Partial<GateInputs>) =>
    summarizeGateResults(run(rules, partial));

  it("orders outcomes error > fail > inconclusive > pass and decides", () => {
    expect(summarizeGateResults([])).toMatchObject({ outcome: "pass", decision: "clear" });
    const inconclusive = outcomeOf([aucVsBaseline], { evaluations: [holdout(metric("auc", 0.9))] });
    expect(inconclusive).toMatchObject({ outcome: "inconclusive", decision: "needs_review" });
    expect(inconclusive.warnings).toHaveLength(1);
    const a: [string, number, number, number, number] = ["a", 40, 10, 40, 10];
    const b: [string, number, number, number, number] = ["b", 20, 5, 55, 20];
    const override = outcomeOf([dpRatio, aucAtLeast(0.5)], {
      evaluations: [holdout(metric("auc", 0.9)), fairness(...groups("sex", a, b))],
    });
    expect(override).toMatchObject({ outcome: "fail", decision: "override_required" });
    expect(override.overridable).toHaveLength(1);
    const blocked = outcomeOf([dpRatio, aucAtLeast(0.95)], {
      evaluations: [holdout(metric("auc", 0.9)), fairness(...groups("sex", a, b))],
    });
    expect(blocked).toMatchObject({ outcome: "fail", decision: "blocked" });
    const errored = outcomeOf([aucAtLeast(0.5), aucVsBaseline], { evaluations: [] });
    expect(errored).toMatchObject({ outcome: "error", decision: "blocked" });
  });
});

describe("the spec's default rules", () => {
  it("are AUC >= baseline - 0.01, DP ratio >= 0.8, EOD <= 0.1, plus schema validation", () => {
    expect(DEFAULT_GATE_RULES.map((rule) => rule.id)).toEqual([
      "schema-validation",
      "auc-vs-baseline",
      "demographic-parity-ratio",
      "equalized-odds-difference",
    ]);
    expect(DEFAULT_GATE_RULES[1]).toMatchObject({ comparator: ">=", delta: 0.01 });
    expect(DEFAULT_GATE_RULES[2]).toMatchObject({ comparator: ">=", value: 0.8 });
    expect(DEFAULT_GATE_RULES[3]).toMatchObject({ comparator: "<=", value: 0.1 });
  });

  it("clear a good candidate under the default production policy", () => {
    const production = defaultGatePolicy("production");
    const results = evaluateGates({
      rules: effectiveGateRules(production),
      evaluations: [
        { kind: "schema_validation", outcome: "pass", metrics: [], groups: [] },
        holdout(metric("auc", 0.84)),
        fairness(...groups("sex", ["f", 40, 10, 40, 10], ["m", 42, 10, 40, 8])),
      ],
      baselineMetrics: [metric("auc", 0.845)],
      modelCardMissingSections: [],
      minGroupSize: production.minGroupSize,
    });
    expect(results.map((r) => r.outcome)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    expect(summarizeGateResults(results).decision).toBe("clear");
  });
});
