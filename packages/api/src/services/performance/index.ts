export {
  computePerformance,
  ComputePerformanceInput,
  type Performance,
  type PerformanceBucket,
} from "./compute-performance";
export type { ClassMetrics, ConfusionCell, ConfusionMetrics } from "./confusion-metrics";
export type { ReliabilityPoint } from "./reliability-diagram";
export type {
  BinaryScorePerformance,
  ErrorBucket,
  LabelCoverage,
  LabelDelay,
  PerformanceSummary,
  RegressionPerformance,
} from "./summarize-performance";
