import { describe, expect, it } from "vitest";

import { classText, resolvePositiveClass } from "./positive-class";

describe("resolvePositiveClass", () => {
  it("takes the declared class first", () => {
    expect(
      resolvePositiveClass({
        declared: "default",
        actualLabel: "repay",
        scores: { default: 0.2, repay: 0.8 },
      }),
    ).toBe("default");
  });

  it("takes true and 1 for boolean and 0/1 labels", () => {
    expect(resolvePositiveClass({ declared: null, actualLabel: false, scores: null })).toBe("true");
    expect(resolvePositiveClass({ declared: null, actualLabel: 0, scores: null })).toBe("1");
    expect(resolvePositiveClass({ declared: "", actualLabel: 1, scores: null })).toBe("1");
  });

  it("takes the greater of two scored classes, and nothing otherwise", () => {
    expect(
      resolvePositiveClass({
        declared: null,
        actualLabel: "default",
        scores: { repay: 0.7, default: 0.3 },
      }),
    ).toBe("repay");
    expect(
      resolvePositiveClass({
        declared: null,
        actualLabel: "cat",
        scores: { cat: 0.5, dog: 0.3, eel: 0.2 },
      }),
    ).toBeNull();
    expect(resolvePositiveClass({ declared: null, actualLabel: "cat", scores: null })).toBeNull();
    expect(resolvePositiveClass({ declared: null, actualLabel: 2, scores: null })).toBeNull();
  });
});

describe("classText", () => {
  it("writes classes as text and refuses what is not a class", () => {
    expect([true, 1, "fraud", 1.5, null, { a: 1 }].map(classText)).toEqual([
      "true",
      "1",
      "fraud",
      null,
      null,
      null,
    ]);
  });
});
