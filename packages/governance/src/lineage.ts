/**
 * Lineage (spec, "Lineage": "one typed edge table (dataset_version -> model_version ->
 * deployment -> prediction stream)"; issue 5: "drawn in the UI as a graph a manager can read").
 * These are the typed nodes and edges the recursive query returns, the rule for which edges may
 * exist, and a pure left-to-right layout the UI draws.
 */
export const LINEAGE_NODE_KINDS = [
  "dataset_version",
  "model_version",
  "deployment",
  "alias",
  "prediction_stream",
] as const;

export type LineageNodeKind = (typeof LINEAGE_NODE_KINDS)[number];

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  label: string;
}

export interface LineageEdge {
  from: string;
  to: string;
  /** For dataset -> model edges, the dataset's role: train, validation or holdout. */
  role?: "train" | "validation" | "holdout";
}

/**
 * Which node kinds an edge may join, in the direction data flows: a dataset version feeds a model
 * version; a model version is served by a deployment or pointed at by an alias; a deployment or
 * alias produces a prediction stream; an alias may point through a deployment.
 */
const ALLOWED_EDGES: Readonly<Record<LineageNodeKind, readonly LineageNodeKind[]>> = {
  dataset_version: ["model_version"],
  model_version: ["deployment", "alias"],
  alias: ["deployment", "prediction_stream"],
  deployment: ["prediction_stream"],
  prediction_stream: [],
};

export function isAllowedLineageEdge(from: LineageNodeKind, to: LineageNodeKind): boolean {
  return ALLOWED_EDGES[from].includes(to);
}

export interface LineageNodePosition {
  id: string;
  kind: LineageNodeKind;
  label: string;
  /** 0-based, left to right. */
  column: number;
  /** 0-based, top to bottom within the column. */
  row: number;
}

export interface LineageLayout {
  nodes: LineageNodePosition[];
  edges: LineageEdge[];
  columns: number;
  /** Rows in the tallest column. */
  rows: number;
}

export class LineageGraphError extends Error {
  override name = "LineageGraphError";
}

/**
 * Assigns each node a column and a row for a left-to-right drawing.
 * - Column: the longest path from a source (a node with no incoming edge), so every edge points
 *   rightwards and a dataset, its model, the alias and the stream line up in order.
 * - Row: within a column, nodes are sorted by the mean row of their predecessors (the barycentre
 *   heuristic, one left-to-right sweep, which keeps most edges from crossing), then by kind,
 *   label and id so that the layout is deterministic whatever the input order.
 *
 * Throws {@link LineageGraphError} on an edge to an unknown node, an edge between kinds that may
 * not be joined, or a cycle: the database should never produce any of them.
 */
export function layoutLineage(
  nodes: readonly LineageNode[],
  edges: readonly LineageEdge[],
): LineageLayout {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, string[]>(nodes.map((node) => [node.id, []]));
  const outgoing = new Map<string, string[]>(nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (from === undefined || to === undefined) {
      throw new LineageGraphError(`edge ${edge.from} -> ${edge.to} names an unknown node`);
    }
    if (!isAllowedLineageEdge(from.kind, to.kind)) {
      throw new LineageGraphError(`a ${from.kind} cannot lead to a ${to.kind}`);
    }
    incoming.get(to.id)?.push(from.id);
    outgoing.get(from.id)?.push(to.id);
  }

  // Kahn's topological order; the column of a node is one more than its furthest predecessor.
  const column = new Map<string, number>();
  const pending = new Map(nodes.map((node) => [node.id, incoming.get(node.id)?.length ?? 0]));
  const queue = sortNodes(nodes.filter((node) => pending.get(node.id) === 0));
  for (const node of queue) column.set(node.id, 0);
  for (let index = 0; index < queue.length; index++) {
    const node = queue[index] as LineageNode;
    for (const nextId of outgoing.get(node.id) ?? []) {
      column.set(nextId, Math.max(column.get(nextId) ?? 0, (column.get(node.id) ?? 0) + 1));
      const remaining = (pending.get(nextId) ?? 0) - 1;
      pending.set(nextId, remaining);
      if (remaining === 0) queue.push(byId.get(nextId) as LineageNode);
    }
  }
  if (queue.length !== nodes.length) throw new LineageGraphError("the lineage graph has a cycle");

  const columns = nodes.length === 0 ? 0 : Math.max(...column.values()) + 1;
  const row = new Map<string, number>();
  let rows = 0;
  for (let current = 0; current < columns; current++) {
    const inColumn = nodes.filter((node) => column.get(node.id) === current);
    const weight = (node: LineageNode): number => {
      const predecessorRows = (incoming.get(node.id) ?? []).map((id) => row.get(id) ?? 0);
      return predecessorRows.length === 0
        ? 0
        : predecessorRows.reduce((sum, value) => sum + value, 0) / predecessorRows.length;
    };
    const ordered = sortNodes(inColumn).sort((a, b) => weight(a) - weight(b));
    ordered.forEach((node, index) => row.set(node.id, index));
    rows = Math.max(rows, ordered.length);
  }

  return {
    nodes: sortNodes(nodes)
      .map((node) => ({ ...node, column: column.get(node.id) ?? 0, row: row.get(node.id) ?? 0 }))
      .sort((a, b) => a.column - b.column || a.row - b.row),
    edges: [...edges],
    columns,
    rows,
  };
}

function sortNodes(nodes: readonly LineageNode[]): LineageNode[] {
  return [...nodes].sort(
    (a, b) =>
      LINEAGE_NODE_KINDS.indexOf(a.kind) - LINEAGE_NODE_KINDS.indexOf(b.kind) ||
      compareText(a.label, b.label) ||
      compareText(a.id, b.id),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
