import { asc, eq, inArray } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { apiKeys, modelVersions, referenceBaselines, users } from "@plumbline/db/schema";

import type { DriftReference } from "../drift/drift-output";
import { loadReferences } from "../drift/load-references";
import { findModel } from "../registry/models";

export interface ReferenceProfileSummary {
  target: string;
  name: string;
  kind: "numeric" | "categorical";
  /** Non-missing reference values. */
  n: number;
  missing: number;
  bins: number;
}

export interface VersionReference {
  version: string;
  /** Null when the version has no reference yet (no drift can be computed for it). */
  reference:
    | (DriftReference & {
        createdBy: { type: "user" | "api_key"; id: string; name: string } | null;
        profiles: ReferenceProfileSummary[];
      })
    | null;
}

/**
 * Every version of a model with the reference its drift uses: where it came from (an API
 * upload, a file uploaded here, a production window), when and by whom it was built, and what
 * it profiles. Newest version first.
 */
export async function listReferences(
  db: DatabaseOrTransaction,
  projectId: string,
  modelSlug: string,
): Promise<VersionReference[]> {
  const model = await findModel(db, projectId, modelSlug);
  const [versions, references, baselineAuthors] = await Promise.all([
    db
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id))
      .orderBy(asc(modelVersions.createdAt)),
    loadReferences(db, model.id),
    loadBaselineAuthors(db, model.id),
  ]);
  const names = new Set(versions.map((row) => row.version));
  // A baseline may exist for a version the registry no longer lists; show it anyway.
  for (const version of references.keys()) {
    if (!names.has(version)) versions.push({ version });
  }
  return versions.reverse().map(({ version }) => {
    const loaded = references.get(version);
    if (!loaded) return { version, reference: null };
    return {
      version,
      reference: {
        ...loaded.reference,
        createdBy: baselineAuthors.get(version) ?? null,
        profiles: [...loaded.profiles.values()]
          .map(({ target, name, profile }) => ({
            target,
            name,
            kind: profile.kind,
            n: profile.n,
            missing: profile.missing,
            bins: profile.counts.length,
          }))
          .sort((a, b) => a.target.localeCompare(b.target) || a.name.localeCompare(b.name)),
      },
    };
  });
}

/** Who built each version's current baseline: a user of the web app, or an API key. */
async function loadBaselineAuthors(db: DatabaseOrTransaction, modelId: string) {
  const baselines = await db
    .select({
      version: referenceBaselines.version,
      userId: referenceBaselines.createdByUserId,
      keyId: referenceBaselines.createdByKeyId,
    })
    .from(referenceBaselines)
    .where(eq(referenceBaselines.modelId, modelId));
  const userIds = baselines.flatMap((row) => (row.userId ? [row.userId] : []));
  const keyIds = baselines.flatMap((row) => (row.keyId ? [row.keyId] : []));
  const [userRows, keyRows] = await Promise.all([
    userIds.length > 0
      ? db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, userIds))
      : [],
    keyIds.length > 0
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name })
          .from(apiKeys)
          .where(inArray(apiKeys.id, keyIds))
      : [],
  ]);
  const userName = new Map(userRows.map((row) => [row.id, row.name || row.email]));
  const keyName = new Map(keyRows.map((row) => [row.id, row.name]));
  const authors = new Map<string, { type: "user" | "api_key"; id: string; name: string }>();
  for (const row of baselines) {
    if (row.userId) {
      authors.set(row.version, {
        type: "user",
        id: row.userId,
        name: userName.get(row.userId) ?? "a deleted user",
      });
    } else if (row.keyId) {
      authors.set(row.version, {
        type: "api_key",
        id: row.keyId,
        name: keyName.get(row.keyId) ?? "a deleted API key",
      });
    }
  }
  return authors;
}
