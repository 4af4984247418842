import { eq } from "drizzle-orm";

import {
  canaryStrategySchema,
  type CanaryStrategy,
  type DeploymentSnapshot,
} from "@plumbline/rollouts";
import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { modelVersions, type Deployment } from "@plumbline/db/schema";

export function snapshotOf(row: Deployment): DeploymentSnapshot {
  return {
    state: row.state,
    stepIndex: row.stepIndex,
    weight: row.weight,
    stepStartedAt: row.stepStartedAt,
    pauseReason: row.pauseReason,
    pauseUntil: row.pauseUntil,
    abortReason: row.abortReason,
    message: row.message,
  };
}

export function strategyOf(row: Pick<Deployment, "strategy">): CanaryStrategy {
  return canaryStrategySchema.parse(row.strategy);
}

/** The version labels (`"3"`) the predictions carry for the candidate and the stable version. */
export async function versionLabelsOf(
  db: DatabaseOrTransaction,
  row: Pick<Deployment, "candidateVersionId" | "stableVersionId">,
): Promise<{ candidate: string; stable: string | null }> {
  const [candidate] = await db
    .select({ version: modelVersions.version })
    .from(modelVersions)
    .where(eq(modelVersions.id, row.candidateVersionId));
  let stable: string | null = null;
  if (row.stableVersionId) {
    const [found] = await db
      .select({ version: modelVersions.version })
      .from(modelVersions)
      .where(eq(modelVersions.id, row.stableVersionId));
    stable = found?.version ?? null;
  }
  return { candidate: candidate?.version ?? "", stable };
}
