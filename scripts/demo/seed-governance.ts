/**
 * The demo's governance story, told through the product's own services so that the demo can
 * never show something the product would not do: staging and production environments with the
 * default policies, the credit-risk model, its datasets, two versions registered with their
 * lineage (a ready version's lineage never changes), CI's evaluations, model cards written by
 * the engineer and approved by the approver, version 1 promoted to production (requested by the
 * engineer, approved by the approver and the admin, deployed), and version 2 requested for
 * production, awaiting its two approvals.
 */
import type { Role } from "@plumbline/governance";
import { defaultGatePolicy } from "@plumbline/governance";
import type { Database } from "@plumbline/db/client";
import type { Model } from "@plumbline/db/schema";
import {
  approveModelCard,
  editModelCard,
  submitModelCard,
} from "@plumbline/api/services/model-cards/model-cards";
import { decidePromotion } from "@plumbline/api/services/promotions/decide-promotion";
import { deployPromotion } from "@plumbline/api/services/promotions/deploy-promotion";
import { createEnvironment } from "@plumbline/api/services/promotions/environments";
import { upsertGatePolicy } from "@plumbline/api/services/promotions/gate-policies";
import { requestPromotion } from "@plumbline/api/services/promotions/request-promotion";
import { postEvaluation } from "@plumbline/api/services/registry/evaluations";
import { registerDatasetVersion } from "@plumbline/api/services/registry/lineage";
import {
  completeVersionRegistration,
  registerModel,
  registerVersion,
} from "@plumbline/api/services/registry/models";
import type { ServiceContext } from "@plumbline/api/services/service-context";

import {
  DEMO_DATASETS,
  DEMO_FEATURE_SCHEMA,
  DEMO_MODEL_SLUG,
  DEMO_VERSIONS,
  type DemoVersionSpec,
} from "./demo-content";

export interface DemoMember {
  id: string;
  role: Role;
}

/** The artifact of a demo version: a stable digest, as a build would report it. */
function demoArtifactDigest(version: string): string {
  return `sha256:${version.padStart(2, "0").repeat(32)}`;
}

export async function seedDemoGovernance(
  db: Database,
  input: {
    projectId: string;
    engineer: DemoMember;
    approver: DemoMember;
    admin: DemoMember;
  },
): Promise<Model> {
  const as = (member: DemoMember): ServiceContext => ({
    db,
    projectId: input.projectId,
    actor: { type: "user", id: member.id, role: member.role },
  });
  const engineer = as(input.engineer);
  const approver = as(input.approver);
  const admin = as(input.admin);

  for (const kind of ["staging", "production"] as const) {
    await createEnvironment(admin, { name: kind, kind, protected: true });
    const { environment: _kind, ...policy } = defaultGatePolicy(kind);
    await upsertGatePolicy(admin, { environmentName: kind, policy });
  }

  const model = await registerModel(engineer, {
    slug: DEMO_MODEL_SLUG,
    name: "Credit risk",
    description: "Probability that a personal-loan applicant defaults within 12 months.",
    task: "binary_classification",
    riskTier: "high",
    featureSchema: DEMO_FEATURE_SCHEMA,
  });

  for (const spec of DEMO_VERSIONS) {
    const version = await registerDemoVersion(engineer, model.id, spec);
    for (const evaluation of spec.evaluations) {
      await postEvaluation(engineer, { versionId: version.id, evaluation });
    }
    await editModelCard(engineer, {
      versionId: version.id,
      content: spec.card,
      fillFromEvidence: true,
    });
    await submitModelCard(engineer, { versionId: version.id });
    // Another person signs the card: its author cannot approve it.
    await approveModelCard(approver, { versionId: version.id });
    const request = await requestPromotion(engineer, {
      modelVersionId: version.id,
      environmentName: "production",
      justification: spec.justification,
    });
    if (request.state !== "awaiting_approval") {
      throw new Error(`The demo's request for version ${spec.version} is ${request.state}.`);
    }
    if (spec.promoted) {
      // Production needs two approvals by approvers or admins; then the alias moves.
      for (const [who, comment] of [
        [approver, "Fairness and AUC reviewed."],
        [admin, "Second approval."],
      ] as const) {
        await decidePromotion(who, {
          requestId: request.id,
          decision: "approve",
          comment,
          artifactDigest: request.artifactDigest,
        });
      }
      await deployPromotion(engineer, { requestId: request.id });
    }
  }
  return model;
}

/**
 * A version registered with its datasets while still `registering`, then marked ready: a ready
 * version's lineage and artifact digest never change.
 */
async function registerDemoVersion(ctx: ServiceContext, modelId: string, spec: DemoVersionSpec) {
  const datasets = [];
  for (const dataset of DEMO_DATASETS.filter((item) => item.forVersion === spec.version)) {
    const { version } = await registerDatasetVersion(ctx, {
      datasetName: dataset.datasetName,
      version: dataset.version,
      digest: dataset.digest,
      uri: dataset.uri,
      rowCount: dataset.rowCount,
      split: dataset.split,
    });
    datasets.push({ datasetVersionId: version.id, role: dataset.role });
  }
  const registering = await registerVersion(ctx, {
    status: "registering",
    modelId,
    version: spec.version,
    description: spec.description,
    artifactUri: `s3://acme-models/credit-risk/${spec.version}/model.txt`,
    artifactDigest: demoArtifactDigest(spec.version),
    framework: "lightgbm",
    metrics: spec.metrics,
    // The score is the probability of default: calibration and ROC read it as the positive class.
    tags: { positive_class: "default" },
    datasets,
  });
  return completeVersionRegistration(ctx, { versionId: registering.id, status: "ready" });
}
