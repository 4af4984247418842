import type { Verdict } from "./alert-lifecycle";

/** A verdict and why: the limit it was judged against and a short reason for the timeline. */
export interface Judgement {
  verdict: Verdict;
  /** The level that was crossed (or the nearest one when healthy); null when not applicable. */
  limit: number | null;
  reason: string;
}

export const inconclusive = (reason: string): Judgement => ({
  verdict: { kind: "inconclusive" },
  limit: null,
  reason,
});
