/**
 * Delayed ground truth for the demo's predictions: whether the applicant defaulted, known some
 * seconds to minutes after the prediction (months in real lending, compressed for a demo).
 */
import {
  gaussian,
  type DemoPrediction,
  type DemoVersion,
  type Random,
} from "./credit-risk-traffic";

/** Share of predictions whose outcome ever becomes known. */
export const LABEL_COVERAGE = 0.8;
const MEDIAN_DELAY_MS = 40_000;
const MIN_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;

export interface DemoLabel {
  predictionId: string;
  model: { id: string; version: DemoVersion };
  actual: { label: "default" | "repay" };
  /** When the outcome became known: the prediction's time plus the delay, in ms since the epoch. */
  observedAt: number;
}

/**
 * The outcome of one prediction, or null when it never becomes known (about 20%) or the request
 * failed. The truth is a sharper version of the model's own log-odds plus noise: most outcomes
 * agree with the prediction (accuracy about 0.86, ROC-AUC about 0.80 for version 1 with no
 * drift). The world also differs from what each model learnt: the canary under-estimates risk a
 * little (about 0.85), and during the drift episode applicants default more than either model
 * expects (about 0.73 at its height). The number of random draws does not depend on the outcome,
 * so a seeded stream stays aligned.
 */
export function drawLabel(
  random: Random,
  record: DemoPrediction,
  predictionId: string,
  drift: number,
): DemoLabel | null {
  const known = random() < LABEL_COVERAGE;
  const delayMs = Math.min(
    MAX_DELAY_MS,
    Math.max(MIN_DELAY_MS, Math.round(MEDIAN_DELAY_MS * Math.exp(0.9 * gaussian(random)))),
  );
  const probability = record.prediction.scores.default;
  const trueLogit =
    2 * Math.log(probability / (1 - probability)) +
    0.4 * gaussian(random) +
    (record.model.version === "2" ? 0.5 : 0) +
    0.3 * drift;
  const defaulted = random() < 1 / (1 + Math.exp(-trueLogit));
  if (!known || record.status === "error") return null;
  return {
    predictionId,
    model: { id: record.model.id, version: record.model.version },
    actual: { label: defaulted ? "default" : "repay" },
    observedAt: Date.parse(record.timestamp) + delayMs,
  };
}

/**
 * Labels waiting for their time, bounded: past `capacity` the newest are dropped and counted,
 * so a stalled ingest service cannot grow the simulator's memory without end.
 */
export class LabelSchedule {
  private pending: DemoLabel[] = [];
  dropped = 0;

  constructor(private readonly capacity: number) {}

  add(label: DemoLabel): void {
    if (this.pending.length >= this.capacity) {
      this.dropped += 1;
      return;
    }
    this.pending.push(label);
  }

  /** Removes and returns every label observed at or before `now`. */
  takeDue(now: number): DemoLabel[] {
    const due: DemoLabel[] = [];
    const later: DemoLabel[] = [];
    for (const label of this.pending) (label.observedAt <= now ? due : later).push(label);
    this.pending = later;
    return due;
  }

  get size(): number {
    return this.pending.length;
  }
}
