import { describe, expect, it } from "vitest";

import { canonicalJson, payloadHash } from "./payload-hash";

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("writes dates as ISO strings and leaves undefined fields out", () => {
    expect(canonicalJson({ ts: new Date("2024-06-01T00:00:00Z"), gone: undefined })).toBe(
      '{"ts":"2024-06-01T00:00:00.000Z"}',
    );
  });
});

describe("payloadHash", () => {
  it("is the same for the same data in another key order, and differs otherwise", () => {
    expect(payloadHash({ a: 1, b: [1, 2] })).toBe(payloadHash({ b: [1, 2], a: 1 }));
    expect(payloadHash({ a: 1, b: [1, 2] })).not.toBe(payloadHash({ a: 1, b: [2, 1] }));
    expect(payloadHash({ a: "1" })).not.toBe(payloadHash({ a: 1 }));
  });
});
