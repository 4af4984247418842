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
  const unchanged = await currentBaselineIfIdentical(tx, input);
  if (unchanged) return unchanged;
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

/** JSON with object keys sorted, so two equal profiles compare equal however they were built. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : inner,
  );
}

/**
 * The current baseline when the new profiles are exactly the stored ones (a restarted job
 * uploading the same training set): a new revision would start new bin rollups and hide the
 * drift history counted against the old one, for no change at all.
 */
async function currentBaselineIfIdentical(
  tx: Transaction,
  input: StoreReferenceBaselineInput,
): Promise<{ revision: number; createdAt: Date } | null> {
  const [baseline] = await tx
    .select({
      revision: referenceBaselines.revision,
      rows: referenceBaselines.rows,
      createdAt: referenceBaselines.createdAt,
    })
    .from(referenceBaselines)
    .where(
      and(
        eq(referenceBaselines.modelId, input.modelId),
        eq(referenceBaselines.version, input.version),
      ),
    )
    .for("update");
  if (!baseline || baseline.rows !== input.rows) return null;
  const stored = await tx
    .select()
    .from(referenceProfiles)
    .where(
      and(
        eq(referenceProfiles.modelId, input.modelId),
        eq(referenceProfiles.version, input.version),
      ),
    );
  if (stored.length !== input.profiles.length) return null;
  const storedOf = new Map(stored.map((row) => [`${row.target}\u0000${row.name}`, row]));
  const identical = input.profiles.every(({ column, profile }) => {
    const row = storedOf.get(`${column.target}\u0000${column.name}`);
    return (
      row !== undefined &&
      row.kind === column.kind &&
      canonicalJson(row.profile) === canonicalJson(profile)
    );
  });
  return identical ? { revision: baseline.revision, createdAt: baseline.createdAt } : null;
}
