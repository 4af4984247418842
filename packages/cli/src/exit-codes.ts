import { PROMOTION_OUTCOMES } from "@plumbline/contracts";

/**
 * What the CLI's exit status tells a pipeline. Documented in the README; keep them stable.
 */
export const EXIT = {
  /** Done; for a promotion: approved, deploying or promoted. */
  ok: 0,
  /** Usage error, bad input, refused request (401, 403, 404, 409, ...), network failure. */
  error: 1,
  /** The promotion was rejected or its checks failed. */
  refused: 2,
  /** The promotion expired, was cancelled, went stale or was rolled back. */
  voided: 3,
  /** `--wait` / `wait` gave up before the promotion settled. */
  timeout: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a settled promotion state, or null while it is still open. */
export function exitCodeOfState(state: string): ExitCode | null {
  const is = (states: readonly string[]) => states.includes(state);
  if (is(PROMOTION_OUTCOMES.succeeded)) return EXIT.ok;
  if (is(PROMOTION_OUTCOMES.refused)) return EXIT.refused;
  if (is(PROMOTION_OUTCOMES.voided)) return EXIT.voided;
  return null;
}
