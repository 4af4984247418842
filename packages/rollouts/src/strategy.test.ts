import { describe, expect, it } from "vitest";

import {
  canaryStrategySchema,
  exampleCanaryStrategy,
  parseCanaryStrategy,
  rolloutPolicySchema,
} from "./strategy";

const metric = {
  name: "errors",
  kind: "error_rate_difference",
  intervalSeconds: 60,
  count: 3,
  failureCondition: { op: ">", threshold: 0.02 },
} as const;

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
    const parsed = parseCanaryStrategy({
      steps: [{ kind: "setWeight", weight: 101 }, { kind: "analysis" }],
    });
    expect(parsed).toEqual({
      ok: false,
      message: expect.stringContaining("steps.0.weight") as string,
    });
    expect(!parsed.ok && parsed.message).toContain(
      "analysis: an analysis step needs analysis metrics",
    );
  });

  it("refuses a metric without conditions, duplicate names and analyses past the deadline", () => {
    const bare = { ...metric, failureCondition: null };
    expect(
      parseCanaryStrategy({ steps: [{ kind: "analysis" }], analysis: { metrics: [bare] } }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("needs a successCondition") as string,
    });
    expect(
      parseCanaryStrategy({
        steps: [{ kind: "analysis" }],
        analysis: { metrics: [metric, metric] },
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("duplicate metric name errors") as string,
    });
    expect(
      parseCanaryStrategy({
        steps: [{ kind: "analysis" }],
        analysis: { metrics: [metric] },
        progressDeadlineSeconds: 100,
      }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("longer than the progress deadline") as string,
    });
  });

  it("refuses non-finite thresholds and unknown keys", () => {
    const infinite = { ...metric, failureCondition: { op: ">", threshold: Infinity } };
    expect(
      parseCanaryStrategy({ steps: [{ kind: "analysis" }], analysis: { metrics: [infinite] } }).ok,
    ).toBe(false);
    expect(parseCanaryStrategy({ steps: [{ kind: "pause", seconds: 5 }] }).ok).toBe(false);
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
