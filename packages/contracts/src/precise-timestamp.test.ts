import { describe, expect, it } from "vitest";

import { microsecondTimestamp } from "./precise-timestamp";

describe("microsecondTimestamp", () => {
  it.each([
    ["2026-12-05T10:00:00.123456789Z", "2026-12-05T10:00:00.123456Z"],
    ["2026-12-05T10:00:00.999999999Z", "2026-12-05T10:00:00.999999Z"],
    ["2026-12-05T10:00:00Z", "2026-12-05T10:00:00.000000Z"],
    ["2026-12-05T10:00:00.5z", "2026-12-05T10:00:00.500000Z"],
    ["2026-12-05T00:30:00.000001+02:00", "2026-12-04T22:30:00.000001Z"],
    ["2026-12-31T23:59:59.1234567-01:00", "2027-01-01T00:59:59.123456Z"],
  ])("keeps %s as %s", (sent, stored) => {
    expect(microsecondTimestamp(sent)).toBe(stored);
  });

  it.each(["", "yesterday", "2026-12-05 10:00", "2026-13-05T10:00:00Z", "2026-12-05T10:00:00"])(
    "refuses %j",
    (sent) => {
      expect(microsecondTimestamp(sent)).toBeNull();
    },
  );
});
