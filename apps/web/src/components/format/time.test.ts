import { describe, expect, it } from "vitest";

import { formatAge, formatDuration } from "./time";

describe("time formatting", () => {
  it("formats a duration in the largest readable unit", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000)).toBe("12 min");
    expect(formatDuration(3.5 * 3_600_000)).toBe("3.5 h");
    expect(formatDuration(72 * 3_600_000)).toBe("3 d");
    expect(formatDuration(null)).toBe("—");
  });

  it("formats an age against an explicit now", () => {
    const now = Date.UTC(2026, 2, 3, 12);
    expect(formatAge(new Date(now - 5 * 60_000), now)).toBe("5 min");
    expect(formatAge(new Date(now - 5 * 3_600_000), now)).toBe("5 h");
  });
});
