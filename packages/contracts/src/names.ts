import { z } from "zod";

import { requiredOr } from "./issues";

const text = () => z.string({ error: requiredOr("must be a string") });

/** A model's id as inference services send it: a lowercase slug, unique within a project. */
export const MODEL_SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Feature, segment and label names. */
export const FIELD_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

/** Printable ASCII (space to tilde), 1 to 512 characters. */
export const PREDICTION_ID_PATTERN = /^[\x20-\x7e]{1,512}$/;

/** Versions are free-form labels ("3", "2024-06-01", "v1.2.0+rc1") without control characters. */
export const MODEL_VERSION_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,127}$/;

export const ModelSlug = text().regex(MODEL_SLUG_PATTERN, {
  error:
    "must be a lowercase slug: a letter or digit, then up to 127 of a-z 0-9 . _ - " +
    '(for example "fraud-detector")',
});

export const FieldName = text().regex(FIELD_NAME_PATTERN, {
  error:
    "must start with a letter or underscore, then up to 127 of A-Z a-z 0-9 _ . : - " +
    '(for example "account_age_days")',
});

export const PredictionId = text().regex(PREDICTION_ID_PATTERN, {
  error: "must be 1 to 512 printable ASCII characters",
});

export const ModelVersion = text().regex(MODEL_VERSION_PATTERN, {
  error: "must be 1 to 128 printable ASCII characters, not starting with a space",
});
