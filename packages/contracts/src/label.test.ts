import { describe, expect, it } from "vitest";

import { summarizeIssues } from "./issues";
import { LabelBatch, LabelRecord, resolveLabelBatch } from "./label";

const label = {
  prediction_id: "req-1",
  model: { id: "fraud-detector" },
  actual: { label: "fraud" },
};

describe("LabelRecord", () => {
  it("fills label_name, weight and revision defaults", () => {
    expect(LabelRecord.parse(label)).toEqual({
      ...label,
      label_name: "default",
      weight: 1,
      revision: 0,
    });
  });

  it("names bad fields", () => {
    const result = LabelRecord.safeParse({ ...label, source: "oracle", revision: 1.5 });
    if (result.success) throw new Error("expected failure");
    expect(summarizeIssues(result.error.issues)).toMatch(
      /^source: Invalid option.*; revision: Invalid input: expected int, received number$/,
    );
  });
});

describe("LabelBatch", () => {
  it("applies the batch model to labels without one", () => {
    const { model: _model, ...withoutModel } = label;
    const batch = LabelBatch.parse({ model: { id: "m", version: "2" }, labels: [withoutModel] });
    expect(resolveLabelBatch(batch)[0]?.model).toEqual({ id: "m", version: "2" });
  });

  it("refuses more than 5000 labels and labels without any model", () => {
    const tooMany = LabelBatch.safeParse({ labels: Array.from({ length: 5001 }, () => label) });
    expect(tooMany.success).toBe(false);
    const { model: _model, ...withoutModel } = label;
    const result = LabelBatch.safeParse({ labels: [withoutModel] });
    if (result.success) throw new Error("expected failure");
    expect(summarizeIssues(result.error.issues)).toBe(
      "labels[0].model: is required when the batch has no model",
    );
  });
});
