import { sql, type SQL } from "drizzle-orm";

import type { ProfileTarget } from "@plumbline/contracts";
import type { Database } from "@plumbline/db/client";
import type { ReferenceProfile } from "@plumbline/drift";

import { selectRows } from "./rollup-sql";

/**
 * A version's current reference profile of one column. Bin rollups counted against another
 * revision have other bins: only rollups of `revision` may be read with this profile.
 */
export interface StoredProfile {
  version: string;
  target: ProfileTarget;
  name: string;
  revision: number;
  /** Without the sorted reference, sketch and per-category reference counts (large, unused here). */
  profile: ReferenceProfile;
}

/** The current profiles of a model's versions (one version when `version` is given). */
export async function loadReferenceProfiles(
  db: Database,
  input: { modelId: string; version?: string | undefined; target?: ProfileTarget },
): Promise<StoredProfile[]> {
  const filters: SQL[] = [sql`model_id = ${input.modelId}`];
  if (input.version !== undefined) filters.push(sql`version = ${input.version}`);
  if (input.target !== undefined) filters.push(sql`target = ${input.target}`);
  return selectRows<StoredProfile>(
    db,
    sql`
      select version, target, name, revision,
        profile - 'sorted' - 'sketch' - 'referenceCategories' - 'referenceCounts' as profile
      from reference_profiles
      where ${sql.join(filters, sql` and `)}
      order by version, target, name`,
  );
}
