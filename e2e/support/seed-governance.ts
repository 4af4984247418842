/**
 * The governance set-up of the promotion flow, made through the real tRPC procedures (as the
 * admin, the engineer and an approver would), so the seeded data passes the same validation and
 * writes the same audit entries as the UI: staging and production environments, a production
 * policy of two approvals by approvers, version 1 serving production, and a ready version 3 with
 * its datasets, evaluations and an approved model card, which the test asks to promote.
 */
import { createCaller, createInnerContext } from "@plumbline/api";
import type { Database } from "@plumbline/db/client";

export const PROMOTION_CANDIDATE_VERSION = "3";

export async function seedGovernance(
  db: Database,
  input: {
    projectSlug: string;
    modelSlug: string;
    adminId: string;
    engineerId: string;
    approverId: string;
  },
) {
  const as = (userId: string) => createCaller(createInnerContext({ db, userId }));
  const admin = as(input.adminId);
  const engineer = as(input.engineerId);
  const approver = as(input.approverId);
  const { projectSlug, modelSlug } = input;

  await admin.registry.createEnvironment({
    projectSlug,
    name: "staging",
    kind: "staging",
    protected: true,
  });
  await admin.registry.createEnvironment({
    projectSlug,
    name: "production",
    kind: "production",
    protected: true,
  });
  await admin.promotions.upsertPolicy({
    projectSlug,
    environment: "production",
    policy: { requiredApprovals: 2, approverRoles: ["approver"], modelCardRequired: true },
  });

  await engineer.registry.postEvaluation({
    projectSlug,
    modelSlug,
    version: "1",
    evaluation: {
      kind: "holdout",
      outcome: "pass",
      metrics: [{ metric: "auc", slice: null, value: 0.812 }],
      groups: [],
    },
  });
  await admin.registry.moveAlias({
    projectSlug,
    modelSlug,
    version: "1",
    alias: "production",
    breakGlassReason: "e2e set-up: the version serving before governance",
  });

  const train = await engineer.registry.registerDatasetVersion({
    projectSlug,
    datasetName: "e2e-applications",
    version: "2026-q3-train",
    digest: `sha256:${"1a".repeat(32)}`,
    uri: "s3://e2e-data/applications/train.parquet",
    rowCount: 18_000,
    split: "train",
  });
  const holdout = await engineer.registry.registerDatasetVersion({
    projectSlug,
    datasetName: "e2e-applications",
    version: "2026-q3-holdout",
    digest: `sha256:${"2b".repeat(32)}`,
    uri: "s3://e2e-data/applications/holdout.parquet",
    rowCount: 2_000,
    split: "holdout",
  });
  const version = PROMOTION_CANDIDATE_VERSION;
  await engineer.registry.registerVersion({
    projectSlug,
    modelSlug,
    version,
    description: "Retrained on Q3 applications",
    artifactUri: `s3://e2e-models/${modelSlug}/${version}/model.tar.gz`,
    artifactDigest: `sha256:${"3c".repeat(32)}`,
    framework: "lightgbm",
    code: { repo: "github.com/acme/credit", commit: "4f2a9c1d3e5b7a9c", dirty: false },
    metrics: { auc: 0.829 },
    tags: { team: "risk-ml" },
    datasets: [
      { datasetVersionId: train.version.id, role: "train" },
      { datasetVersionId: holdout.version.id, role: "holdout" },
    ],
  });
  for (const evaluation of [
    { kind: "schema_validation" as const, outcome: "pass" as const, metrics: [], groups: [] },
    {
      kind: "holdout" as const,
      outcome: "pass" as const,
      metrics: [{ metric: "auc", slice: null, value: 0.829 }],
      groups: [],
    },
    {
      kind: "fairness" as const,
      outcome: "pass" as const,
      metrics: [],
      groups: [
        group("region", "north", 400, 100, 1300, 200),
        group("region", "south", 380, 110, 1290, 220),
      ],
    },
  ]) {
    await engineer.registry.postEvaluation({ projectSlug, modelSlug, version, evaluation });
  }
  await engineer.modelCards.edit({
    projectSlug,
    modelSlug,
    version,
    content: MODEL_CARD,
    fillFromEvidence: false,
  });
  await engineer.modelCards.submit({ projectSlug, modelSlug, version });
  await approver.modelCards.approve({ projectSlug, modelSlug, version });
}

function group(
  feature: string,
  name: string,
  truePositives: number,
  falsePositives: number,
  trueNegatives: number,
  falseNegatives: number,
) {
  return { feature, group: name, truePositives, falsePositives, trueNegatives, falseNegatives };
}

const MODEL_CARD = {
  modelDetails: {
    name: "E2E credit",
    overview: "Probability that an applicant defaults within 12 months.",
    owners: [{ name: "Risk ML team", contact: "risk-ml@e2e.test" }],
    version: { name: "3", date: "2026-10-01", diff: "Retrained on Q3 applications." },
    licenses: [{ customText: "Proprietary, internal use only." }],
  },
  modelParameters: {
    modelArchitecture: "Gradient-boosted trees",
    data: [
      { name: "e2e-applications@2026-q3-train", role: "train", rowCount: 18_000 },
      { name: "e2e-applications@2026-q3-holdout", role: "holdout", rowCount: 2_000 },
    ],
  },
  quantitativeAnalysis: { performanceMetrics: [{ type: "auc", value: 0.829, n: 2_000 }] },
  considerations: {
    users: [{ description: "Credit officers reviewing applications." }],
    useCases: [{ description: "Rank applications for manual review." }],
    limitations: [{ description: "Not validated for business loans." }],
    ethicalConsiderations: [
      { name: "Regional disparity", mitigationStrategy: "Parity ratio by region gated at 0.8." },
    ],
    riskRating: "high",
  },
};
