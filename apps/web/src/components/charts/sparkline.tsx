import { isolatedPoints, largestValue, sparklinePath } from "./sparkline-path";

/**
 * A tiny traffic line for a table row. Plain SVG (no chart library) so a list of models stays
 * light. With `lastInProgress`, the segment into the last point (a bucket still filling) is
 * drawn dashed and faded.
 */
export function Sparkline({
  values,
  lastInProgress = false,
  width = 96,
  height = 24,
  color = "var(--color-chart-1)",
  label,
  testId = "sparkline",
}: {
  values: (number | null)[];
  lastInProgress?: boolean;
  width?: number;
  height?: number;
  color?: string;
  label: string;
  testId?: string;
}) {
  const max = largestValue(values);
  const last = values.length - 1;
  const settled = lastInProgress
    ? values.map((value, index) => (index === last ? null : value))
    : values;
  const tail = lastInProgress
    ? values.map((value, index) => (index >= last - 1 ? value : null))
    : [];
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      className="overflow-visible"
    >
      <path
        d={sparklinePath(settled, width, height, max)}
        fill="none"
        stroke={color}
        strokeWidth={1.5}
        strokeLinejoin="round"
        strokeLinecap="round"
      />
      {isolatedPoints(settled, width, height, max).map((point) => (
        <circle key={point.x} cx={point.x} cy={point.y} r={1.5} fill={color} />
      ))}
      {lastInProgress ? (
        <path
          d={sparklinePath(tail, width, height, max)}
          fill="none"
          stroke={color}
          strokeOpacity={0.5}
          strokeWidth={1.5}
          strokeDasharray="2 2"
        />
      ) : null}
    </svg>
  );
}
