import { describe, expect, it } from "vitest";

import { buildProfile } from "@plumbline/drift";

import { binClasses, OTHER_CLASS, topClasses } from "./class-bins";

describe("binClasses", () => {
  it("names a categorical profile's bins, its OOV bin as other", () => {
    const profile = buildProfile(["a", "a", "b"], { kind: "categorical" });
    expect(binClasses(profile)).toEqual(["a", "b", OTHER_CLASS]);
  });

  it("names value bins of numeric labels and refuses quantile bins", () => {
    const labels = buildProfile(
      Array.from({ length: 20 }, (_, i) => i % 2),
      { kind: "numeric" },
    );
    expect(binClasses(labels)).toEqual(["0", "1", OTHER_CLASS]);
    const continuous = buildProfile(
      Array.from({ length: 100 }, (_, i) => i / 7),
      { kind: "numeric" },
    );
    expect(binClasses(continuous)).toBeNull();
  });
});

describe("topClasses", () => {
  it("keeps the most frequent classes and adds other for the rest", () => {
    const totals = new Map([
      ["a", 5],
      ["b", 9],
      ["c", 1],
      [OTHER_CLASS, 0],
    ]);
    expect(topClasses(totals, 2)).toEqual(["b", "a", OTHER_CLASS]);
    expect(topClasses(totals, 3)).toEqual(["b", "a", "c"]);
  });
});
