import { describe, expect, it } from "vitest";

import { canaryStrategySchema, exampleCanaryStrategy, rolloutPolicySchema } from "./strategy";

const metric = {
  name: "errors",
  kind: "error_rate_difference",
  intervalSeconds: 60,
  count: 3,
  failureCondition: { op: ">", threshold: 0.02 },
} as const;

/** Every problem the schema finds in `input`, as `path: message`, joined by "; ". */
function problemsOf(input: unknown): string {
  const parsed = canaryStrategySchema.safeParse(input);
  if (parsed.success) return "";
  return parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "strategy"}: ${issue.message}`)
    .join("; ");
}

describe("canary strategies", () => {
  it("fills Argo's defaults on a metric", () => {
    const strategy = canaryStrategySchema.parse({
      steps: [{ kind: "analysis" }],
      analysis: { metrics: [metric] },
    });
    expect(strategy.analysis!.metrics[0]).toMatchObject({
      initialDelaySeconds: 0,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      successCondition: null,
      minSamples: 100,
    });
    expect(strategy.progressDeadlineSeconds).toBe(3600);
  });

  it("names each problem", () => {
    const problems = problemsOf({
      steps: [{ kind: "setWeight", weight: 101 }, { kind: "analysis" }],
    });
    expect(problems).toContain("steps.0.weight");
    expect(problems).toContain("analysis: an analysis step needs analysis metrics");
  });

  it("refuses a metric without conditions, duplicate names and analyses past the deadline", () => {
    const bare = { ...metric, failureCondition: null };
    expect(problemsOf({ steps: [{ kind: "analysis" }], analysis: { metrics: [bare] } })).toContain(
      "needs a successCondition",
    );
    expect(
      problemsOf({ steps: [{ kind: "analysis" }], analysis: { metrics: [metric, metric] } }),
    ).toContain("duplicate metric name errors");
    expect(
      problemsOf({
        steps: [{ kind: "analysis" }],
        analysis: { metrics: [metric] },
        progressDeadlineSeconds: 100,
      }),
    ).toContain("longer than the progress deadline");
  });

  it("refuses non-finite thresholds and unknown keys", () => {
    const infinite = { ...metric, failureCondition: { op: ">", threshold: Infinity } };
    expect(
      canaryStrategySchema.safeParse({
        steps: [{ kind: "analysis" }],
        analysis: { metrics: [infinite] },
      }).success,
    ).toBe(false);
    expect(canaryStrategySchema.safeParse({ steps: [{ kind: "pause", seconds: 5 }] }).success).toBe(
      false,
    );
  });

  it("keeps the issue's example strategy valid", () => {
    expect(exampleCanaryStrategy().steps).toHaveLength(7);
  });

  it("reads a rollout policy as direct or canary", () => {
    expect(rolloutPolicySchema.parse({ mode: "direct" })).toEqual({ mode: "direct" });
    expect(
      rolloutPolicySchema.parse({
        mode: "canary",
        strategy: { steps: [{ kind: "setWeight", weight: 100 }] },
      }).mode,
    ).toBe("canary");
    expect(rolloutPolicySchema.safeParse({ mode: "blue_green" }).success).toBe(false);
  });
});
