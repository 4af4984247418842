import { and, eq, sql } from "drizzle-orm";

import type { Transaction } from "../client";
import { referenceBaselines, referenceProfiles, type ReferenceSource } from "../schema";
import type { BuiltReferenceProfile } from "./build-reference-profiles";

export interface StoreReferenceBaselineInput {
  modelId: string;
  version: string;
  /** Rows the profiles were built from. */
  rows: number;
  profiles: readonly BuiltReferenceProfile[];
  source: ReferenceSource;
  createdByKeyId?: string | null;
  createdByUserId?: string | null;
  /** For `window`: the production window the rows were read from. */
  window?: { from: Date; to: Date } | null;
}

/**
 * Stores profiles as the version's new baseline inside the caller's transaction (so an audit
 * row can commit with it): the revision goes up by one and the profiles are replaced. Bin
 * rollups counted against the old revision stay as they were; new ones use the new revision.
 */
export async function storeReferenceBaseline(
  tx: Transaction,
  input: StoreReferenceBaselineInput,
): Promise<{ revision: number; createdAt: Date }> {
  const values = {
    modelId: input.modelId,
    version: input.version,
    revision: 1,
    rows: input.rows,
    source: input.source,
    windowFrom: input.window?.from ?? null,
    windowTo: input.window?.to ?? null,
    createdByKeyId: input.createdByKeyId ?? null,
    createdByUserId: input.createdByUserId ?? null,
  };
  const [baseline] = await tx
    .insert(referenceBaselines)
    .values(values)
    .onConflictDoUpdate({
      target: [referenceBaselines.modelId, referenceBaselines.version],
      set: {
        ...values,
        revision: sql`${referenceBaselines.revision} + 1`,
        createdAt: sql`now()`,
      },
    })
    .returning({ revision: referenceBaselines.revision, createdAt: referenceBaselines.createdAt });
  const revision = baseline!.revision;
  await tx
    .delete(referenceProfiles)
    .where(
      and(
        eq(referenceProfiles.modelId, input.modelId),
        eq(referenceProfiles.version, input.version),
      ),
    );
  for (const { column, profile } of input.profiles) {
    await tx.insert(referenceProfiles).values({
      modelId: input.modelId,
      version: input.version,
      target: column.target,
      name: column.name,
      revision,
      kind: column.kind,
      profile: profile as unknown as Record<string, unknown>,
    });
  }
  return { revision, createdAt: baseline!.createdAt };
}
