import { describe, expect, it } from "vitest";

import { alertDedupKey } from "./dedup-key";

describe("alertDedupKey", () => {
  const ids = { monitorId: "m1", modelId: "model-1" };

  it("joins monitor / model / version / deployment / segment / feature, * for all", () => {
    expect(alertDedupKey({ ...ids, scope: {}, feature: null })).toBe("m1/model-1/*/*/*/*");
    expect(
      alertDedupKey({
        ...ids,
        scope: { version: "v2", deployment: "canary", segment: { name: "region", value: "eu" } },
        feature: "age",
      }),
    ).toBe("m1/model-1/v2/canary/region=eu/age");
  });

  it("keeps slices apart even when names hold separators", () => {
    const a = alertDedupKey({
      ...ids,
      scope: { segment: { name: "a=b", value: "c" } },
      feature: null,
    });
    const b = alertDedupKey({
      ...ids,
      scope: { segment: { name: "a", value: "b=c" } },
      feature: null,
    });
    expect(a).not.toBe(b);
    expect(alertDedupKey({ ...ids, scope: {}, feature: "x/y" })).toBe("m1/model-1/*/*/*/x%2Fy");
  });
});
