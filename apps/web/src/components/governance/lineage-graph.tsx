import type { RouterOutputs } from "@plumbline/api";

type Lineage = RouterOutputs["registry"]["lineage"];

const BOX_WIDTH = 176;
const BOX_HEIGHT = 44;
const COLUMN_GAP = 40;
/** Below this width the graph scrolls instead of shrinking further, so its text stays legible. */
const MIN_RENDERED_WIDTH = 560;
const ROW_GAP = 16;

const styleOf: Record<string, { fill: string; stroke: string; caption: string }> = {
  dataset_version: { fill: "#f4f4f5", stroke: "#d6d6db", caption: "dataset" },
  model_version: { fill: "#eef0ff", stroke: "#a5b4fc", caption: "model version" },
  alias: { fill: "#ecfdf5", stroke: "#6ee7b7", caption: "alias" },
  deployment: { fill: "#fffbeb", stroke: "#fcd34d", caption: "deployment" },
  prediction_stream: { fill: "#ffffff", stroke: "#d6d6db", caption: "prediction stream" },
};

function truncate(label: string, max = 23): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** A dataset's label is `name@version`: the name goes in the caption, the version below. */
function captionAndTitle(kind: string, label: string, caption: string): [string, string] {
  const at = label.lastIndexOf("@");
  if (kind === "dataset_version" && at > 0) {
    return [`${caption} · ${label.slice(0, at)}`, label.slice(at + 1)];
  }
  return [caption, label];
}

/** The lineage as boxes and arrows, from the server's column/row layout, left to right. */
export function LineageGraph({ lineage }: { lineage: Lineage }) {
  const { layout } = lineage;
  const width = Math.max(1, layout.columns) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 16;
  const height = Math.max(1, layout.rows) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + 16;
  const position = new Map(
    layout.nodes.map((node) => [
      node.id,
      { x: 8 + node.column * (BOX_WIDTH + COLUMN_GAP), y: 8 + node.row * (BOX_HEIGHT + ROW_GAP) },
    ]),
  );
  return (
    <div className="overflow-x-auto" data-testid="lineage-graph">
      {/* Scales down with its card (the viewBox keeps the proportions) instead of being cut off
          at the card's edge; never scales above its natural size. */}
      <svg
        className="block h-auto w-full"
        style={{ maxWidth: width, minWidth: Math.min(width, MIN_RENDERED_WIDTH) }}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMinYMin meet"
        role="img"
        aria-label="Lineage: datasets, model version, aliases and prediction streams"
      >
        <defs>
          <marker
            id="lineage-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8b8b94" />
          </marker>
        </defs>
        {layout.edges.map((edge) => {
          const from = position.get(edge.from);
          const to = position.get(edge.to);
          if (!from || !to) return null;
          const x1 = from.x + BOX_WIDTH;
          const y1 = from.y + BOX_HEIGHT / 2;
          const x2 = to.x - 2;
          const y2 = to.y + BOX_HEIGHT / 2;
          const middle = (x1 + x2) / 2;
          return (
            <g key={`${edge.from}->${edge.to}`}>
              <path
                d={`M ${x1} ${y1} C ${middle} ${y1}, ${middle} ${y2}, ${x2} ${y2}`}
                fill="none"
                stroke="#8b8b94"
                strokeWidth={1.25}
                markerEnd="url(#lineage-arrow)"
              />
              {edge.role ? (
                <text
                  x={middle}
                  y={(y1 + y2) / 2 - 4}
                  textAnchor="middle"
                  fontSize={10}
                  fill="#52525b"
                >
                  {edge.role}
                </text>
              ) : null}
            </g>
          );
        })}
        {layout.nodes.map((node) => {
          const at = position.get(node.id);
          if (!at) return null;
          const style = styleOf[node.kind] ?? styleOf.prediction_stream!;
          const [caption, title] = captionAndTitle(node.kind, node.label, style.caption);
          return (
            <g key={node.id}>
              <title>{node.label}</title>
              <rect
                x={at.x}
                y={at.y}
                width={BOX_WIDTH}
                height={BOX_HEIGHT}
                rx={8}
                fill={style.fill}
                stroke={style.stroke}
              />
              <text x={at.x + 10} y={at.y + 17} fontSize={10} fill="#8b8b94">
                {truncate(caption, 28)}
              </text>
              <text x={at.x + 10} y={at.y + 33} fontSize={12} fontWeight={500} fill="#18181b">
                {truncate(title)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
