import { ReferenceLine } from "recharts";

/** An alert that fired at `t` (ms), drawn as a vertical line on a model's time charts. */
export interface AlertMarker {
  id: string;
  t: number;
  severity: "warning" | "critical";
  label: string;
}

export const MARKER_COLORS = { warning: "#d97706", critical: "#dc2626" } as const;

/** The markers as Recharts reference lines (children of a chart with a time x axis). */
export function alertMarkerLines(markers: readonly AlertMarker[]) {
  return markers.map((marker) => (
    <ReferenceLine
      key={marker.id}
      x={marker.t}
      stroke={MARKER_COLORS[marker.severity]}
      strokeDasharray="3 2"
      strokeWidth={1.5}
      ifOverflow="discard"
      className="alert-marker"
      label={{
        value: "▲",
        position: "insideBottom",
        fontSize: 9,
        fill: MARKER_COLORS[marker.severity],
      }}
    />
  ));
}
