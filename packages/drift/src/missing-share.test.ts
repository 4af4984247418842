import { describe, expect, it } from "vitest";
import { missingShareTest } from "./missing-share";

describe("missingShareTest", () => {
  it("computes the pooled two-proportion z-test", () => {
    const result = missingShareTest(10, 1000, 80, 1000);
    const pooled = 90 / 2000;
    const z = (0.08 - 0.01) / Math.sqrt(pooled * (1 - pooled) * (2 / 1000));
    expect(result.z).toBeCloseTo(z, 12);
    expect(result.pvalue).toBeLessThan(1e-10);
    expect(result.drift).toBe(true);
  });

  it("needs both significance and a 0.05 absolute change", () => {
    expect(missingShareTest(1000, 100000, 1500, 100000).drift).toBe(false);
  });

  it("reports p = 1 when neither window has missing values, or a window is empty", () => {
    expect(missingShareTest(0, 50, 0, 70)).toEqual({
      nullShareRef: 0,
      nullShareCur: 0,
      z: 0,
      pvalue: 1,
      drift: false,
    });
    expect(missingShareTest(5, 50, 0, 0).pvalue).toBe(1);
    expect(missingShareTest(50, 50, 10, 10).pvalue).toBe(1);
  });
});
