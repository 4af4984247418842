import { describe, expect, it } from "vitest";

import type { LineageEdge, LineageNode } from "./lineage";
import { isAllowedLineageEdge, LineageGraphError, layoutLineage } from "./lineage";

const nodes: LineageNode[] = [
  { id: "s1", kind: "prediction_stream", label: "scoring-api" },
  { id: "m2", kind: "model_version", label: "credit v2" },
  { id: "d-train", kind: "dataset_version", label: "loans 2024-12 train" },
  { id: "d-hold", kind: "dataset_version", label: "loans 2024-12 holdout" },
  { id: "m1", kind: "model_version", label: "credit v1" },
  { id: "a-prod", kind: "alias", label: "production" },
  { id: "a-stg", kind: "alias", label: "staging" },
];
const edges: LineageEdge[] = [
  { from: "d-train", to: "m1", role: "train" },
  { from: "d-train", to: "m2", role: "train" },
  { from: "d-hold", to: "m2", role: "holdout" },
  { from: "m1", to: "a-prod" },
  { from: "m2", to: "a-stg" },
  { from: "a-prod", to: "s1" },
];

describe("isAllowedLineageEdge", () => {
  it("allows only data-flow edges", () => {
    expect(isAllowedLineageEdge("dataset_version", "model_version")).toBe(true);
    expect(isAllowedLineageEdge("model_version", "alias")).toBe(true);
    expect(isAllowedLineageEdge("deployment", "prediction_stream")).toBe(true);
    expect(isAllowedLineageEdge("model_version", "dataset_version")).toBe(false);
    expect(isAllowedLineageEdge("prediction_stream", "model_version")).toBe(false);
  });
});

describe("layoutLineage", () => {
  it("puts datasets, models, aliases and streams in columns left to right", () => {
    const layout = layoutLineage(nodes, edges);
    const column = Object.fromEntries(layout.nodes.map((node) => [node.id, node.column]));
    expect(column).toEqual({
      "d-hold": 0,
      "d-train": 0,
      m1: 1,
      m2: 1,
      "a-prod": 2,
      "a-stg": 2,
      s1: 3,
    });
    expect(layout.columns).toBe(4);
    expect(layout.rows).toBe(2);
    for (const edge of edges)
      expect(column[edge.to]).toBeGreaterThan(column[edge.from] ?? Infinity);
  });

  it("orders rows by predecessors so that edges do not cross, and is deterministic", () => {
    const layout = layoutLineage(nodes, edges);
    const row = Object.fromEntries(layout.nodes.map((node) => [node.id, node.row]));
    // d-hold sorts first by label; m2 (fed by both) has mean row 0.5, m1 (fed by d-train) row 1.
    expect(row).toMatchObject({
      "d-hold": 0,
      "d-train": 1,
      m2: 0,
      m1: 1,
      "a-stg": 0,
      "a-prod": 1,
      s1: 0,
    });
    expect(layoutLineage([...nodes].reverse(), [...edges].reverse()).nodes).toEqual(layout.nodes);
  });

  it("places a long path's end after its longest chain", () => {
    const chain = layoutLineage(
      [
        { id: "d", kind: "dataset_version", label: "d" },
        { id: "m", kind: "model_version", label: "m" },
        { id: "a", kind: "alias", label: "a" },
        { id: "dep", kind: "deployment", label: "dep" },
        { id: "s", kind: "prediction_stream", label: "s" },
      ],
      [
        { from: "d", to: "m" },
        { from: "m", to: "a" },
        { from: "a", to: "dep" },
        { from: "dep", to: "s" },
        { from: "m", to: "dep" },
      ],
    );
    expect(chain.nodes.map((node) => [node.id, node.column])).toEqual([
      ["d", 0],
      ["m", 1],
      ["a", 2],
      ["dep", 3],
      ["s", 4],
    ]);
  });

  it("handles an empty graph and isolated nodes", () => {
    expect(layoutLineage([], [])).toEqual({ nodes: [], edges: [], columns: 0, rows: 0 });
    expect(
      layoutLineage([{ id: "m", kind: "model_version", label: "m" }], []).nodes[0],
    ).toMatchObject({ column: 0, row: 0 });
  });

  it("throws on unknown nodes, forbidden edges and cycles", () => {
    expect(() => layoutLineage(nodes, [{ from: "m1", to: "nope" }])).toThrow(LineageGraphError);
    expect(() => layoutLineage(nodes, [{ from: "m1", to: "d-train" }])).toThrow(/cannot lead to/);
    const cyclic: LineageNode[] = [
      { id: "a", kind: "alias", label: "a" },
      { id: "dep", kind: "deployment", label: "dep" },
    ];
    expect(() =>
      layoutLineage(cyclic, [
        { from: "a", to: "dep" },
        { from: "dep", to: "a" },
      ]),
    ).toThrow(/cannot lead to|cycle/);
  });
});
