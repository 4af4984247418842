import { describe, expect, it } from "vitest";

import { metricsFromConfusion } from "./confusion-metrics";

describe("metricsFromConfusion", () => {
  it("computes accuracy, per-class and macro metrics by hand", () => {
    // predicted \ actual:  cat  dog
    //   cat                  4    1
    //   dog                  2    3
    const metrics = metricsFromConfusion([
      { predicted: "cat", actual: "cat", count: 4 },
      { predicted: "cat", actual: "dog", count: 1 },
      { predicted: "dog", actual: "cat", count: 2 },
      { predicted: "dog", actual: "dog", count: 3 },
    ])!;
    expect(metrics.count).toBe(10);
    expect(metrics.accuracy).toBe(0.7);
    const [cat, dog] = metrics.classes;
    // cat: precision 4/5, recall 4/6, F1 = 2 * 0.8 * 2/3 / (0.8 + 2/3) = 8/11.
    expect(cat).toMatchObject({ className: "cat", support: 6, predicted: 5, truePositives: 4 });
    expect(cat!.precision).toBeCloseTo(0.8, 12);
    expect(cat!.recall).toBeCloseTo(2 / 3, 12);
    expect(cat!.f1).toBeCloseTo(8 / 11, 12);
    // dog: precision 3/5, recall 3/4, F1 = 2 * 0.6 * 0.75 / 1.35 = 2/3.
    expect(dog!.f1).toBeCloseTo(2 / 3, 12);
    expect(metrics.macro.precision).toBeCloseTo(0.7, 12);
    expect(metrics.macro.recall).toBeCloseTo((2 / 3 + 0.75) / 2, 12);
    expect(metrics.macro.f1).toBeCloseTo((8 / 11 + 2 / 3) / 2, 12);
  });

  it("leaves undefined metrics null and counts them as 0 in the macro mean", () => {
    // "b" occurs but is never predicted; "c" is predicted but never occurs.
    const metrics = metricsFromConfusion([
      { predicted: "a", actual: "a", count: 2 },
      { predicted: "a", actual: "b", count: 1 },
      { predicted: "c", actual: "a", count: 1 },
      { predicted: "c", actual: "c", count: 0 },
    ])!;
    expect(metrics.classes.map((m) => [m.className, m.precision, m.recall, m.f1])).toEqual([
      ["a", 2 / 3, 2 / 3, 2 / 3],
      ["b", null, 0, null],
      ["c", 0, null, null],
    ]);
    expect(metrics.macro.precision).toBeCloseTo(2 / 9, 12);
    expect(metrics.cells).toHaveLength(3);
  });

  it("is null for an empty matrix (revisions may leave cells at zero)", () => {
    expect(metricsFromConfusion([])).toBeNull();
    expect(metricsFromConfusion([{ predicted: "a", actual: "b", count: 0 }])).toBeNull();
  });
});
