import { describe, expect, it } from "vitest";

import { evaluationSchema } from "./evaluation";

describe("evaluationSchema", () => {
  const base = { kind: "fairness", outcome: "pass" } as const;
  const group = {
    feature: "sex",
    group: "a",
    truePositives: 1,
    falsePositives: 2,
    trueNegatives: 3,
    falseNegatives: 4,
  };

  it("refuses counts that do not fit the 32-bit columns they are stored in, naming the field", () => {
    const result = evaluationSchema.safeParse({
      ...base,
      groups: [{ ...group, truePositives: 2_147_483_648 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["groups", 0, "truePositives"]);
    expect(
      evaluationSchema.safeParse({
        ...base,
        metrics: [{ metric: "auc", value: 0.8, n: 4_859_919_677_695_271 }],
      }).success,
    ).toBe(false);
  });

  it("accepts the largest count that fits", () => {
    expect(
      evaluationSchema.safeParse({
        ...base,
        groups: [{ ...group, trueNegatives: 2_147_483_647 }],
        metrics: [{ metric: "auc", value: 0.8, n: 2_147_483_647 }],
      }).success,
    ).toBe(true);
  });
});
