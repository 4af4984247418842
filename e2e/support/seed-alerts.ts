import { randomUUID } from "node:crypto";

import { createDatabase } from "@plumbline/db/client";
import { createModel, createModelVersion } from "@plumbline/db/factories";
import { createAlertRow, createMonitorRow } from "@plumbline/db/monitor-factories";

import { e2eState } from "./state";

const HOUR_MS = 60 * 60 * 1000;

/**
 * A model of its own with a feature-drift monitor and one critical drift alert that fired an hour
 * ago on `income`, written as the evaluation worker leaves it: each test acts on its own alert.
 */
export async function seedDriftAlert() {
  const state = e2eState();
  const { db, sql } = createDatabase(state.databaseUrl);
  try {
    const project = await db.query.projects.findFirst({
      where: (row, { eq }) => eq(row.slug, state.projectSlug),
    });
    if (!project) throw new Error("The e2e set-up has no project.");
    const suffix = randomUUID().slice(0, 8);
    const model = await createModel(db, {
      projectId: project.id,
      slug: `e2e-alerts-${suffix}`,
      name: `E2E alerts ${suffix}`,
      featureSchema: { income: { type: "numeric" }, region: { type: "categorical" } },
    });
    await createModelVersion(db, { modelId: model.id, version: "1" });
    const monitor = await createMonitorRow(db, {
      projectId: project.id,
      modelId: model.id,
      settings: { name: "Income drift", feature: "income" },
    });
    const alert = await createAlertRow(db, {
      monitor,
      firedAt: new Date(Date.now() - HOUR_MS),
      feature: "income",
      severity: "critical",
      value: 0.31,
    });
    return { project, model, monitor, alert };
  } finally {
    await sql.end();
  }
}
