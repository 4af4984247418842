import { describe, expect, it } from "vitest";

import { findUnstorableString, formatInputPath, stringProblem } from "./storable-strings";

describe("stringProblem", () => {
  it("finds NUL characters and lone surrogates, and accepts paired surrogates", () => {
    expect(stringProblem("a\u0000b")).toBe("nul_character");
    expect(stringProblem("ab\ud800cd")).toBe("lone_surrogate");
    expect(stringProblem("ab\udc00")).toBe("lone_surrogate");
    expect(stringProblem("emoji 😀 ok")).toBeNull();
    expect(stringProblem("")).toBeNull();
  });
});

describe("findUnstorableString", () => {
  it("names the path of a bad value or key, however deep", () => {
    expect(findUnstorableString({ a: [1, { b: "x\u0000" }] })).toEqual({
      path: ["a", 1, "b"],
      problem: "nul_character",
    });
    expect(findUnstorableString({ meta: { "k\ud800": 1 } })).toEqual({
      path: ["meta", "k\ud800"],
      problem: "lone_surrogate",
    });
    expect(findUnstorableString(new Map([["m", new Set(["ok", "\udfff"])]]))).toEqual({
      path: ["m", 1],
      problem: "lone_surrogate",
    });
    expect(findUnstorableString(new Map([[{ k: "a\u0000" }, 1]]))).toEqual({
      path: [0, "k"],
      problem: "nul_character",
    });
    expect(findUnstorableString(new Map([[Object.create(null) as object, "ok"]]))).toBeNull();
    expect(findUnstorableString({ fine: ["😀", 1, null, new Date(0)] })).toBeNull();
  });

  it("walks 100,000 levels of nesting without overflowing the stack", () => {
    let nested: unknown = "\u0000";
    for (let depth = 0; depth < 100_000; depth += 1) nested = [nested];
    expect(findUnstorableString(nested)?.path).toHaveLength(100_000);
  });
});

describe("formatInputPath", () => {
  it("writes paths as a reader would", () => {
    expect(formatInputPath(["name"])).toBe("name");
    expect(formatInputPath(["a", 2, "odd key"])).toBe('a[2]["odd key"]');
    expect(formatInputPath([])).toBe("input");
  });
});
