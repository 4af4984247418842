import { describe, expect, it } from "vitest";

import { canonicalJson, sha256OfCanonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it("drops undefined members and writes dates as ISO strings", () => {
    expect(canonicalJson({ a: undefined, at: new Date("2025-01-01T00:00:00Z") })).toBe(
      '{"at":"2025-01-01T00:00:00.000Z"}',
    );
  });

  it("refuses non-finite numbers and functions", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite number at \$\.x/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/unsupported function/);
  });
});

describe("sha256OfCanonicalJson", () => {
  it("hashes equal structures alike whatever the key order", () => {
    expect(sha256OfCanonicalJson({ a: 1, b: 2 })).toBe(sha256OfCanonicalJson({ b: 2, a: 1 }));
    expect(sha256OfCanonicalJson({ a: 1 })).not.toBe(sha256OfCanonicalJson({ a: 2 }));
    // sha256('{"a":1}'), computed with `printf '{"a":1}' | sha256sum`.
    expect(sha256OfCanonicalJson({ a: 1 })).toBe(
      "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
    );
  });
});
