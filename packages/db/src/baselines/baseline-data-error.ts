/**
 * A reference dataset that cannot become a baseline (no rows, too many, a row that is not an
 * object, a bad column name). The message names the problem; callers add their own framing
 * (ingest answers 400 `schema_violation`, the web app shows it beside the upload).
 */
export class BaselineDataError extends Error {
  override name = "BaselineDataError";
}
