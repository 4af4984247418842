import { describe, expect, it } from "vitest";

import { hasQualityIssue, qualitySharesOf, referenceMissingShare } from "./quality-shares";

const none = { missing: 0, typeMismatch: 0, outOfRange: 0, unseen: 0 };

describe("hasQualityIssue", () => {
  it("flags 1% of wrong types, out-of-range or unseen values", () => {
    expect(hasQualityIssue(none, null)).toBe(false);
    expect(hasQualityIssue({ ...none, typeMismatch: 0.01 }, null)).toBe(true);
    expect(hasQualityIssue({ ...none, outOfRange: 0.009 }, null)).toBe(false);
    expect(hasQualityIssue({ ...none, unseen: 0.02 }, null)).toBe(true);
  });

  it("flags a missing share 5 points above the reference's", () => {
    expect(hasQualityIssue({ ...none, missing: 0.2 }, 0.16)).toBe(false);
    expect(hasQualityIssue({ ...none, missing: 0.25 }, 0.2)).toBe(true);
  });
});

describe("shares", () => {
  it("divides by the records checked, null without records", () => {
    expect(
      qualitySharesOf({ records: 10, missing: 1, typeMismatch: 2, outOfRange: 0, unseen: 5 }),
    ).toEqual({ missing: 0.1, typeMismatch: 0.2, outOfRange: 0, unseen: 0.5 });
    expect(
      qualitySharesOf({ records: 0, missing: 0, typeMismatch: 0, outOfRange: 0, unseen: 0 }),
    ).toEqual({ missing: null, typeMismatch: null, outOfRange: null, unseen: null });
  });

  it("pools the reference missing share over profiles", () => {
    expect(referenceMissingShare([])).toBeNull();
  });
});
