/**
 * An SVG path through `values` across `width` x `height`, scaled so `max` (by default the
 * largest value) touches the top and 0 the bottom. A null value breaks the line (a new `M`),
 * so a gap is drawn as a gap.
 */
export function sparklinePath(
  values: readonly (number | null)[],
  width: number,
  height: number,
  max: number = largestValue(values),
): string {
  if (values.length === 0) return "";
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (value: number) => (max === 0 ? height : height - (value / max) * height);
  let path = "";
  let penDown = false;
  values.forEach((value, index) => {
    if (value === null) {
      penDown = false;
      return;
    }
    const point = `${round(index * step)},${round(y(value))}`;
    path += penDown ? ` L${point}` : `${path ? " " : ""}M${point}`;
    penDown = true;
  });
  return path;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export function largestValue(values: readonly (number | null)[]): number {
  return Math.max(0, ...values.filter((value): value is number => value !== null));
}

/**
 * Points with a gap on both sides: a path cannot draw a lone point, so the sparkline puts a
 * dot there instead of losing the value.
 */
export function isolatedPoints(
  values: readonly (number | null)[],
  width: number,
  height: number,
  max: number = largestValue(values),
): { x: number; y: number }[] {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const present = (index: number) => values[index] !== null && values[index] !== undefined;
  return values.flatMap((value, index) =>
    value !== null && !present(index - 1) && !present(index + 1)
      ? [
          {
            x: round(index * step),
            y: round(max === 0 ? height : height - (value / max) * height),
          },
        ]
      : [],
  );
}
