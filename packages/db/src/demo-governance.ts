import { randomUUID } from "node:crypto";

import { and, eq } from "drizzle-orm";

import {
  applyPromotionEvent,
  createPromotionRequest,
  defaultGatePolicy,
  effectiveGateRules,
  evaluateGates,
  hashGatePolicy,
  hashModelCard,
  modelCardCompleteness,
  modelCardSchema,
  SYSTEM_ACTOR,
  type Evaluation,
  type PromotionEffect,
} from "@plumbline/governance";

import type { Database, Transaction } from "./client";
import { appendAudit } from "./audit";
import { createEnvironment } from "./factories";
import {
  datasets,
  datasetVersions,
  environments,
  evaluationGroupCounts,
  evaluationMetrics,
  evaluations,
  gatePolicies,
  gateResults,
  lineageEdges,
  modelAliases,
  modelAliasHistory,
  modelCards,
  outboxEvents,
  promotionRequests,
  type ModelVersion,
} from "./schema";

/**
 * The demo's governance story (issue 5, "seed a pending promotion with evidence for the demo
 * manager"): staging and production with the default policies (production: two approvals by
 * approvers, an approved model card), version 1 serving production, and version 2 requested for
 * production by the demo engineer with its datasets, evaluations, an approved card and passing
 * gates, awaiting approval. The rules are governance's own functions, so the seeded request is
 * exactly what the services would have produced. Runs once per project (idempotent).
 */
export async function seedDemoGovernance(
  db: Database,
  input: {
    projectId: string;
    modelId: string;
    engineerId: string;
    baseline: ModelVersion;
    candidate: ModelVersion;
  },
) {
  const existing = await db
    .select({ id: promotionRequests.id })
    .from(promotionRequests)
    .where(eq(promotionRequests.projectId, input.projectId));
  if (existing.length > 0 || !input.candidate.artifactDigest) return;

  await db.transaction(async (tx) => {
    const staging = await ensureEnvironment(tx, input.projectId, "staging");
    const production = await ensureEnvironment(tx, input.projectId, "production");
    for (const environment of [staging, production]) {
      const policy = defaultGatePolicy(environment.kind);
      await tx
        .insert(gatePolicies)
        .values({
          projectId: input.projectId,
          environmentId: environment.id,
          policy,
          policyHash: hashGatePolicy(policy),
        })
        .onConflictDoNothing();
    }

    const [alias] = await tx
      .insert(modelAliases)
      .values({
        modelId: input.modelId,
        name: "production",
        modelVersionId: input.baseline.id,
        protected: true,
      })
      .returning();
    await tx.insert(modelAliasHistory).values({
      aliasId: alias!.id,
      modelId: input.modelId,
      name: "production",
      toVersionId: input.baseline.id,
      via: "direct",
      actorType: "system",
      reason: "demo seed: the version serving before governance",
    });

    const [dataset] = await tx
      .insert(datasets)
      .values({ projectId: input.projectId, name: "loan-applications" })
      .returning();
    const [train, holdout] = await tx
      .insert(datasetVersions)
      .values([
        {
          datasetId: dataset!.id,
          version: "2026-q1-q3-train",
          digest: `sha256:${"1a".repeat(32)}`,
          uri: "s3://acme-data/loans/2026-q1-q3/train.parquet",
          rowCount: 184_200,
          split: "train",
        },
        {
          datasetId: dataset!.id,
          version: "2026-q3-holdout",
          digest: `sha256:${"2b".repeat(32)}`,
          uri: "s3://acme-data/loans/2026-q3/holdout.parquet",
          rowCount: 20_000,
          split: "holdout",
        },
      ])
      .returning();
    await tx.insert(lineageEdges).values(
      (
        [
          [train!, "train"],
          [holdout!, "holdout"],
        ] as const
      ).map(([datasetVersion, role]) => ({
        projectId: input.projectId,
        fromKind: "dataset_version" as const,
        fromId: datasetVersion.id,
        toKind: "model_version" as const,
        toId: input.candidate.id,
        role,
      })),
    );

    const baselineEvidence: Evaluation[] = [
      { kind: "holdout", outcome: "pass", metrics: [auc(0.812)], groups: [] },
    ];
    const candidateEvidence: Evaluation[] = [
      { kind: "schema_validation", outcome: "pass", metrics: [], groups: [] },
      { kind: "holdout", outcome: "pass", metrics: [auc(0.827)], groups: [] },
      {
        kind: "fairness",
        outcome: "pass",
        metrics: [],
        groups: [
          group("region", "north", 400, 100, 1300, 200),
          group("region", "south", 380, 110, 1290, 220),
          group("region", "west", 150, 45, 520, 85),
        ],
      },
    ];
    await insertEvaluations(tx, input.modelId, input.baseline.id, baselineEvidence);
    await insertEvaluations(tx, input.modelId, input.candidate.id, candidateEvidence);

    const card = modelCardSchema.parse(DEMO_MODEL_CARD);
    const cardHash = hashModelCard(card);
    await tx.insert(modelCards).values({
      modelId: input.modelId,
      modelVersionId: input.candidate.id,
      status: "approved",
      content: card,
      contentHash: cardHash,
      updatedBy: input.engineerId,
      approvedAt: new Date(),
    });

    const now = new Date();
    const policy = defaultGatePolicy("production");
    const created = createPromotionRequest(
      {
        id: randomUUID(),
        modelVersionId: input.candidate.id,
        versionStatus: "ready",
        versionCreatorId: input.candidate.createdBy ?? "",
        artifactDigest: input.candidate.artifactDigest!,
        environment: "production",
        targetAlias: "production",
        requester: { type: "user", id: input.engineerId, role: "ml_engineer" },
        policy,
        justification:
          "Retrained on 2026 Q1-Q3 applications: holdout AUC 0.827 vs 0.812, fairness within policy.",
        openRequestExists: false,
      },
      { now },
    );
    if (!created.ok) throw new Error(`demo promotion refused: ${created.error.code}`);
    const results = evaluateGates({
      rules: effectiveGateRules(policy),
      evaluations: candidateEvidence,
      baselineMetrics: baselineEvidence.flatMap((evaluation) => evaluation.metrics),
      modelCardMissingSections: modelCardCompleteness(card).missing,
      minGroupSize: policy.minGroupSize,
    });
    const gated = applyPromotionEvent(
      created.request,
      { type: "gates_finished", results },
      { now },
    );
    if (!gated.ok) throw new Error(`demo gates refused: ${gated.error.code}`);
    const request = gated.request;
    await tx.insert(promotionRequests).values({
      id: request.id,
      projectId: input.projectId,
      modelId: input.modelId,
      modelVersionId: input.candidate.id,
      environmentId: production.id,
      environmentKind: "production",
      targetAlias: "production",
      requesterType: "user",
      requesterId: request.requesterId,
      versionCreatorId: request.versionCreatorId,
      state: request.state,
      artifactDigest: request.artifactDigest,
      policy: request.policy,
      policyHash: request.policyHash,
      modelCardHash: cardHash,
      requiredApprovals: request.requiredApprovals,
      justification: request.justification,
      gateDecision: request.gateDecision,
      gateWarnings: request.gateWarnings,
      expiresAt: request.expiresAt,
      createdAt: request.createdAt,
      updatedAt: request.updatedAt,
      version: request.version,
    });
    await tx.insert(gateResults).values(
      results.map((result, position) => ({
        requestId: request.id,
        ruleId: result.ruleId,
        ruleKind: result.rule.kind,
        rule: result.rule,
        subject: result.subject,
        observed: result.observed,
        threshold: result.threshold,
        comparator: result.comparator,
        outcome: result.outcome,
        onFail: result.onFail,
        message: result.message,
        position,
        evaluatedAt: now,
      })),
    );
    for (const effect of [...created.effects, ...gated.effects]) {
      await persistDemoEffect(tx, input.projectId, request.id, request.version, effect);
    }
  });
}

async function ensureEnvironment(
  tx: Transaction,
  projectId: string,
  name: "staging" | "production",
) {
  const [found] = await tx
    .select()
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, name)));
  return found ?? createEnvironment(tx, { projectId, name });
}

async function persistDemoEffect(
  tx: Transaction,
  projectId: string,
  requestId: string,
  version: number,
  effect: PromotionEffect,
) {
  if (effect.kind === "audit") {
    await appendAudit(
      tx,
      effect.actor.type === "system"
        ? SYSTEM_ACTOR
        : { type: effect.actor.type, id: effect.actor.id },
      {
        projectId,
        action: effect.action,
        resourceType: "promotion_request",
        resourceId: requestId,
        before: effect.fromState === null ? null : { state: effect.fromState },
        after: { state: effect.toState, version },
        reason: effect.reason,
      },
    );
  } else if (effect.kind === "outbox") {
    await tx.insert(outboxEvents).values({
      projectId,
      eventType: effect.eventType,
      resourceType: "promotion_request",
      resourceId: requestId,
      payload: { ...effect.payload },
    });
  }
}

async function insertEvaluations(
  tx: Transaction,
  modelId: string,
  modelVersionId: string,
  items: Evaluation[],
) {
  for (const item of items) {
    const [row] = await tx
      .insert(evaluations)
      .values({
        modelId,
        modelVersionId,
        kind: item.kind,
        outcome: item.outcome,
        ciJobUrl: "https://ci.acme.example/jobs/demo",
        actorType: "system",
        actorId: "demo-seed",
      })
      .returning();
    if (item.metrics.length > 0) {
      await tx.insert(evaluationMetrics).values(
        item.metrics.map((metric, position) => ({
          evaluationId: row!.id,
          metric: metric.metric,
          slice: metric.slice,
          value: metric.value,
          lower: metric.lower ?? null,
          upper: metric.upper ?? null,
          n: metric.n ?? null,
          position,
        })),
      );
    }
    if (item.groups.length > 0) {
      await tx
        .insert(evaluationGroupCounts)
        .values(
          item.groups.map((counts, position) => ({ evaluationId: row!.id, ...counts, position })),
        );
    }
  }
}

function auc(value: number) {
  return {
    metric: "auc",
    slice: null,
    value,
    lower: value - 0.006,
    upper: value + 0.006,
    n: 20_000,
  };
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

const DEMO_MODEL_CARD = {
  modelDetails: {
    name: "Credit risk",
    overview: "Probability that a personal-loan applicant defaults within 12 months.",
    owners: [{ name: "Risk ML team", contact: "risk-ml@acme.example" }],
    version: { name: "2", date: "2026-10-01", diff: "Retrained on 2026 Q1-Q3 applications." },
    licenses: [{ customText: "Proprietary, internal use only." }],
  },
  modelParameters: {
    modelArchitecture: "Gradient-boosted trees (LightGBM)",
    data: [
      { name: "loan-applications@2026-q1-q3-train", role: "train", rowCount: 184_200 },
      { name: "loan-applications@2026-q3-holdout", role: "holdout", rowCount: 20_000 },
    ],
  },
  quantitativeAnalysis: { performanceMetrics: [{ type: "auc", value: 0.827, n: 20_000 }] },
  considerations: {
    users: [{ description: "Credit officers reviewing personal-loan applications." }],
    useCases: [{ description: "Rank applications for manual review; never an automatic denial." }],
    limitations: [{ description: "Not validated for business loans or applicants under 21." }],
    ethicalConsiderations: [
      {
        name: "Regional disparity",
        mitigationStrategy: "Demographic parity ratio by region gated at 0.8 before release.",
      },
    ],
    riskRating: "high",
  },
} as const;
