import { describe, expect, it } from "vitest";

import { alignHeatMapRows, countStatuses } from "./heat-map-cells";

describe("alignHeatMapRows", () => {
  it("fills buckets without a cell as empty (no data), never as ok, and drops cells outside", () => {
    const [row] = alignHeatMapRows(
      [
        {
          key: "age",
          label: "age",
          cells: [
            { t: 0, status: "alert", jsDistance: 0.31, count: 400 },
            { t: 99, status: "ok", jsDistance: 0.01, count: 10 },
          ],
        },
      ],
      [0, 10, 20],
    );
    expect(row?.cells).toEqual([
      { t: 0, status: "alert", jsDistance: 0.31, count: 400 },
      { t: 10, status: null, jsDistance: null, count: 0 },
      { t: 20, status: null, jsDistance: null, count: 0 },
    ]);
  });
});

describe("countStatuses", () => {
  it("counts cells per status and ignores empty cells", () => {
    const counts = countStatuses([
      {
        key: "a",
        label: "a",
        cells: [
          { t: 0, status: "ok", jsDistance: 0, count: 1 },
          { t: 1, status: "alert", jsDistance: 0.3, count: 1 },
          { t: 2, status: null, jsDistance: null, count: 0 },
        ],
      },
      { key: "b", label: "b", cells: [{ t: 0, status: "alert", jsDistance: 0.4, count: 1 }] },
    ]);
    expect(counts).toEqual({ ok: 1, warn: 0, alert: 2, inconclusive: 0, no_data: 0 });
  });
});
