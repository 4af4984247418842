/** `part / whole`, or null when there is no part or nothing to divide by. */
export function shareOf(part: number | null, whole: number): number | null {
  return part === null || whole <= 0 ? null : part / whole;
}
