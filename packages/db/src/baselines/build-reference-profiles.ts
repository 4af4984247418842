import { FIELD_NAME_PATTERN, MAX_FEATURES_PER_RECORD } from "@plumbline/contracts";
import { buildProfile, type ReferenceProfile } from "@plumbline/drift";

import type { FeatureSchema } from "../schema";
import { BaselineDataError } from "./baseline-data-error";
import { referenceColumns, type ReferenceColumn, type ReferenceRow } from "./reference-columns";

export interface BuiltReferenceProfile {
  column: Omit<ReferenceColumn, "values">;
  profile: ReferenceProfile;
}

/**
 * The reference profile of every feature, of the prediction and of the score, built with
 * `@plumbline/drift`'s `buildProfile`: the one way every baseline is built, whether its rows
 * came from an API upload, a file in the web app or a production window.
 */
export function buildReferenceProfiles(
  rows: readonly ReferenceRow[],
  featureSchema: FeatureSchema,
): BuiltReferenceProfile[] {
  const columns = referenceColumns(rows, featureSchema);
  const badName = columns.find(
    (column) => column.target === "feature" && !FIELD_NAME_PATTERN.test(column.name),
  );
  if (badName) throw new BaselineDataError(`column "${badName.name}" is not a valid feature name`);
  if (columns.length > MAX_FEATURES_PER_RECORD + 2) {
    throw new BaselineDataError(`it has more than ${MAX_FEATURES_PER_RECORD} feature columns`);
  }
  return columns.map(({ values, ...column }) => ({
    column,
    profile: buildProfile(values, { kind: column.kind }),
  }));
}
