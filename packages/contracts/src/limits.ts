/** Limits of the public ingest API (docs/ingest-api.md, "Limits and backpressure"). */
export const MAX_RECORDS_PER_BATCH = 1000;
export const MAX_LABELS_PER_BATCH = 5000;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_FEATURES_PER_RECORD = 2000;
export const MAX_SEGMENTS_PER_RECORD = 32;
export const MAX_METADATA_KEYS = 64;
