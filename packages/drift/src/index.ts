// Drift statistics for Plumbline. The statistics themselves are specified in
// ../shared/specs/drift.md and land with their own issue.
export const DRIFT_PACKAGE = "@plumbline/drift";
