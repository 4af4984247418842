import { describe, expect, it } from "vitest";

import { StorableDate } from "./storable-date";

describe("StorableDate", () => {
  it("refuses instants PostgreSQL cannot store or JavaScript writes with a six-digit year", () => {
    expect(StorableDate.safeParse(new Date(-8.64e15)).success).toBe(false);
    expect(StorableDate.safeParse(new Date(8.64e15)).success).toBe(false);
    expect(StorableDate.safeParse("+010000-01-01T00:00:00Z").success).toBe(false);
    expect(StorableDate.safeParse("not a date").success).toBe(false);
  });

  it("accepts years 1 to 9999, as dates or ISO strings", () => {
    expect(StorableDate.parse("2026-12-05T08:00:00Z")).toEqual(new Date("2026-12-05T08:00:00Z"));
    expect(StorableDate.safeParse(new Date("0001-01-01T00:00:00Z")).success).toBe(true);
    expect(StorableDate.safeParse(new Date("9999-12-31T23:59:59Z")).success).toBe(true);
  });
});
