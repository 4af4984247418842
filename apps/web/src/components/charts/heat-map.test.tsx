import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { DriftHeatMap } from "./heat-map";

afterEach(cleanup);

const MINUTE = 60_000;

describe("DriftHeatMap", () => {
  it("draws one cell per feature and bucket, empty where no value arrived", () => {
    render(
      <DriftHeatMap
        bucketStarts={[0, MINUTE, 2 * MINUTE]}
        bucketMs={MINUTE}
        inProgressBucket={2 * MINUTE}
        rows={[
          {
            key: "feature:income",
            label: "income",
            cells: [
              { t: 0, status: "ok", jsDistance: 0.02, count: 300 },
              { t: MINUTE, status: "alert", jsDistance: 0.31, count: 280 },
            ],
          },
          { key: "feature:region", label: "region", cells: [] },
        ]}
      />,
    );
    const cells = screen.getAllByTestId("heatmap-cell");
    expect(cells.map((cell) => cell.dataset.status)).toEqual([
      "ok",
      "alert",
      "empty",
      "empty",
      "empty",
      "empty",
    ]);
  });

  it("shows the JS distance and the sample size of the hovered cell", () => {
    render(
      <DriftHeatMap
        bucketStarts={[0, MINUTE]}
        bucketMs={MINUTE}
        inProgressBucket={null}
        rows={[
          {
            key: "feature:income",
            label: "income",
            cells: [{ t: MINUTE, status: "alert", jsDistance: 0.3125, count: 280 }],
          },
        ]}
      />,
    );
    fireEvent.mouseEnter(screen.getAllByTestId("heatmap-cell")[1]!);
    const tooltip = screen.getByTestId("heatmap-tooltip");
    expect(tooltip.textContent).toContain("Drift");
    expect(tooltip.textContent).toContain("0.313");
    expect(tooltip.textContent).toContain("280");
  });
});
