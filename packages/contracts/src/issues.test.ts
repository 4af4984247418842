import { describe, expect, it } from "vitest";

import { formatIssuePath, summarizeIssues } from "./issues";
import { IngestResponse, RECORD_ERROR_CODES } from "./ingest-response";

describe("formatIssuePath", () => {
  it("writes paths the way a JavaScript developer would", () => {
    expect(formatIssuePath(["records", 3, "features", "age"])).toBe("records[3].features.age");
    expect(formatIssuePath(["features", "age days"])).toBe('features["age days"]');
    expect(formatIssuePath(["segments", "geo.region"])).toBe('segments["geo.region"]');
    expect(formatIssuePath([])).toBe("");
  });
});

describe("summarizeIssues", () => {
  it("caps the number of issues it lists", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      code: "custom" as const,
      path: [`f${i}`],
      message: "bad",
      input: undefined,
    }));
    expect(summarizeIssues(issues, 2)).toBe("f0: bad; f1: bad; and 5 more problems");
  });
});

describe("IngestResponse", () => {
  it("describes accepted, duplicates, rejections and warnings", () => {
    const response = {
      accepted: 2,
      duplicates: 1,
      rejected: [{ index: 3, prediction_id: "p3", code: "conflict", message: "differs" }],
      warnings: [],
    };
    expect(IngestResponse.parse(response)).toEqual(response);
    expect(RECORD_ERROR_CODES).toContain("timestamp_out_of_range");
  });
});
