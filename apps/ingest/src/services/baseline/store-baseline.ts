import {
  FIELD_NAME_PATTERN,
  MAX_BASELINE_ROWS,
  MAX_FEATURES_PER_RECORD,
  type BaselineResponse,
} from "@plumbline/contracts";
import type { SqlClient } from "@plumbline/db/client";
import type { ApiKey, FeatureSchema } from "@plumbline/db/schema";
import { buildProfile } from "@plumbline/drift";

import type { RequestBody } from "../../body/request-body";
import { UnparsableLine } from "../../body/request-body";
import { HttpError } from "../../http-errors";
import { CsvError, parseCsv } from "./parse-csv";
import { referenceColumns, toReferenceRow, type ReferenceRow } from "./reference-columns";

function invalid(message: string): HttpError {
  return new HttpError(400, "schema_violation", `The reference dataset is malformed: ${message}`);
}

/** The dataset's rows, from JSON (an array, or `{ rows | records: [...] }`), NDJSON or CSV. */
export function readReferenceRows(body: RequestBody): ReferenceRow[] {
  let raw: unknown[];
  if (body.format === "csv") {
    if (body.text === null) throw new HttpError(400, "invalid_json", "The CSV is not valid UTF-8");
    try {
      raw = parseCsv(body.text, MAX_BASELINE_ROWS).rows;
    } catch (error) {
      if (error instanceof CsvError) throw invalid(error.message);
      throw error;
    }
  } else if (body.format === "ndjson") {
    raw = (body.value as { records: unknown[] }).records;
  } else {
    const value = body.value;
    const list = Array.isArray(value)
      ? value
      : typeof value === "object" && value !== null
        ? ((value as Record<string, unknown>).rows ?? (value as Record<string, unknown>).records)
        : undefined;
    if (!Array.isArray(list)) {
      throw invalid("expected a JSON array of rows, or an object with a `rows` array");
    }
    raw = list;
  }
  if (raw.length === 0) throw invalid("it has no rows");
  if (raw.length > MAX_BASELINE_ROWS) throw invalid(`it has more than ${MAX_BASELINE_ROWS} rows`);
  return raw.map((item, index) => {
    if (item instanceof UnparsableLine) throw invalid(item.message);
    const row = toReferenceRow(item);
    if (!row) throw invalid(`row ${index} is not an object`);
    return row;
  });
}

/**
 * Builds the reference profile of every feature, of the prediction and of the score with
 * `@plumbline/drift`'s `buildProfile`, and stores them as the version's new baseline (the
 * revision goes up by one; rollups counted against the old revision stay as they were).
 */
export async function storeBaseline(
  sql: SqlClient,
  input: {
    apiKey: ApiKey;
    model: { id: string; slug: string; featureSchema: FeatureSchema };
    version: string;
    rows: readonly ReferenceRow[];
  },
): Promise<BaselineResponse> {
  const columns = referenceColumns(input.rows, input.model.featureSchema);
  const badName = columns.find(
    (column) => column.target === "feature" && !FIELD_NAME_PATTERN.test(column.name),
  );
  if (badName) throw invalid(`column "${badName.name}" is not a valid feature name`);
  if (columns.length > MAX_FEATURES_PER_RECORD + 2) {
    throw invalid(`it has more than ${MAX_FEATURES_PER_RECORD} feature columns`);
  }
  const profiles = columns.map((column) => ({
    column,
    profile: buildProfile(column.values, { kind: column.kind }),
  }));

  const revision = await sql.begin(async (tx) => {
    const [baseline] = await tx<{ revision: number }[]>`
      insert into reference_baselines as b (model_id, version, revision, rows, created_by_key_id)
      values (${input.model.id}, ${input.version}, 1, ${input.rows.length}, ${input.apiKey.id})
      on conflict (model_id, version) do update set
        revision = b.revision + 1, rows = excluded.rows,
        created_by_key_id = excluded.created_by_key_id, created_at = now()
      returning revision`;
    const current = baseline!.revision;
    await tx`delete from reference_profiles where model_id = ${input.model.id} and version = ${input.version}`;
    for (const { column, profile } of profiles) {
      await tx`
        insert into reference_profiles (model_id, version, target, name, revision, kind, profile)
        values (${input.model.id}, ${input.version}, ${column.target}, ${column.name}, ${current},
                ${column.kind}, ${JSON.stringify(profile)}::jsonb)`;
    }
    return current;
  });

  return {
    model_id: input.model.slug,
    version: input.version,
    revision,
    rows: input.rows.length,
    profiles: profiles.map(({ column, profile }) => ({
      target: column.target,
      name: column.name,
      kind: column.kind,
      n: profile.n,
      missing: profile.missing,
      bins: profile.counts.length,
    })),
  };
}
