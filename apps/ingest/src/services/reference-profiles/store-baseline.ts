import type { BaselineResponse } from "@plumbline/contracts";
import {
  BaselineDataError,
  buildReferenceProfiles,
  storeReferenceBaseline,
  type ReferenceRow,
} from "@plumbline/db/baselines";
import { appendAudit } from "@plumbline/db/audit";
import type { Database } from "@plumbline/db/client";
import type { ApiKey, FeatureSchema } from "@plumbline/db/schema";

import { HttpError } from "../../http-errors";

function invalid(message: string): HttpError {
  return new HttpError(400, "schema_violation", `The reference dataset is malformed: ${message}`);
}

/** Runs a step of reading a dataset, answering its data errors as 400 `schema_violation`. */
function asHttp<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof BaselineDataError) throw invalid(error.message);
    throw error;
  }
}

/**
 * Builds the reference profile of every feature, of the prediction and of the score with the
 * shared baseline builder, and stores them as the version's new baseline (the revision goes up
 * by one; rollups counted against the old revision stay as they were), audited as
 * `reference.created` by the key in the same transaction, as the web app's uploads are.
 */
export async function storeBaseline(
  db: Database,
  input: {
    apiKey: ApiKey;
    model: { id: string; slug: string; featureSchema: FeatureSchema };
    version: string;
    rows: readonly ReferenceRow[];
    /** The request, for the audit row. */
    requestId: string;
    ip: string;
  },
): Promise<BaselineResponse> {
  const profiles = asHttp(() => buildReferenceProfiles(input.rows, input.model.featureSchema));
  const { revision } = await db.transaction(async (tx) => {
    const stored = await storeReferenceBaseline(tx, {
      modelId: input.model.id,
      version: input.version,
      rows: input.rows.length,
      profiles,
      source: "api",
      createdByKeyId: input.apiKey.id,
    });
    await appendAudit(
      tx,
      { type: "api_key", id: input.apiKey.id },
      {
        projectId: input.apiKey.projectId,
        action: "reference.created",
        resourceType: "reference",
        resourceId: `${input.model.slug}@${input.version}`,
        after: {
          modelSlug: input.model.slug,
          version: input.version,
          revision: stored.revision,
          source: "api",
          rows: input.rows.length,
          profiles: profiles.length,
        },
        requestId: input.requestId,
        ip: input.ip,
      },
    );
    return stored;
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
