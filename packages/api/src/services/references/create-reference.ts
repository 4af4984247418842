import {
  BaselineDataError,
  buildReferenceProfiles,
  storeReferenceBaseline,
  type ReferenceRow,
} from "@plumbline/db/baselines";
import type { ReferenceSource } from "@plumbline/db/schema";

import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";

export interface CreatedReference {
  modelSlug: string;
  version: string;
  revision: number;
  builtAt: Date;
  rows: number;
  source: ReferenceSource;
  profiles: {
    target: string;
    name: string;
    kind: "numeric" | "categorical";
    n: number;
    missing: number;
    bins: number;
  }[];
}

/**
 * Builds the profiles of `rows` with the shared baseline builder and stores them as the
 * version's new reference, audited (`reference.created`) in the same transaction. Both web
 * paths (a production window, an uploaded file) end here.
 */
export async function createReference(
  ctx: ServiceContext,
  input: {
    model: {
      id: string;
      slug: string;
      featureSchema: Parameters<typeof buildReferenceProfiles>[1];
    };
    version: string;
    rows: readonly ReferenceRow[];
    source: Exclude<ReferenceSource, "api">;
    window?: { from: Date; to: Date; deployment?: string };
    file?: { format: "csv" | "json"; bytes: number };
  },
): Promise<CreatedReference> {
  let profiles;
  try {
    profiles = buildReferenceProfiles(input.rows, input.model.featureSchema);
  } catch (error) {
    if (error instanceof BaselineDataError) {
      throw new ServiceError(
        "BAD_REQUEST",
        "reference_invalid",
        `The reference dataset is malformed: ${error.message}`,
      );
    }
    throw error;
  }
  const stored = await withRetryingTransaction(ctx.db, async (tx) => {
    const result = await storeReferenceBaseline(tx, {
      modelId: input.model.id,
      version: input.version,
      rows: input.rows.length,
      profiles,
      source: input.source,
      createdByUserId: userIdOf(ctx.actor),
      window: input.window ? { from: input.window.from, to: input.window.to } : null,
    });
    await writeAudit(tx, ctx, {
      action: "reference.created",
      resourceType: "reference",
      resourceId: `${input.model.slug}@${input.version}`,
      after: {
        modelSlug: input.model.slug,
        version: input.version,
        revision: result.revision,
        source: input.source,
        rows: input.rows.length,
        profiles: profiles.length,
        ...(input.window
          ? {
              window: {
                from: input.window.from.toISOString(),
                to: input.window.to.toISOString(),
                deployment: input.window.deployment ?? null,
              },
            }
          : {}),
        ...(input.file ? { file: input.file } : {}),
      },
    });
    return result;
  });
  return {
    modelSlug: input.model.slug,
    version: input.version,
    revision: stored.revision,
    builtAt: stored.createdAt,
    rows: input.rows.length,
    source: input.source,
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
