import { seriesColor } from "~/components/charts/palette";

/** The first slice is blue and the compared one orange, on every chart of the page. */
export function sliceColor(key: "a" | "b"): string {
  return seriesColor(key === "a" ? 0 : 1);
}
