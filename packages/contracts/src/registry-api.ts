import { z } from "zod";

import { ClassLabels, ModelSchema } from "./model-schema";
import { ModelSlug, ModelVersion } from "./names";

/**
 * The registry REST API that CI pipelines and the `plumbline` CLI call (`/api/v1/**` on the web
 * app), authenticated by an API key. The server validates requests with these schemas and the
 * CLI builds them with the same ones. No endpoint approves: only a signed-in approver can.
 */

/** `sha256:<64 hex>`, the digest of an artifact or a dataset file. */
export const SHA256_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export const Sha256Digest = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SHA256_DIGEST_PATTERN, { error: "must be sha256:<64 lowercase hex digits>" });

export const MODEL_TASKS = [
  "binary_classification",
  "multiclass_classification",
  "regression",
  "ranking",
  "other",
] as const;

/** How much harm a wrong prediction can do; the model's tier and its card's rating use it. */
export const RISK_TIERS = ["low", "medium", "high", "critical"] as const;

export const RegisterModelRequest = z.object({
  slug: ModelSlug,
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  task: z.enum(MODEL_TASKS).optional(),
  owner: z.string().max(200).optional(),
  riskTier: z.enum(RISK_TIERS).nullable().optional(),
  sensitiveFeatures: z.array(z.string().min(1).max(128)).max(50).optional(),
  /** Features (names, types, positions) and the class labels new versions start with. */
  schema: ModelSchema.optional(),
});
export type RegisterModelRequest = z.infer<typeof RegisterModelRequest>;
export type RegisterModelRequestInput = z.input<typeof RegisterModelRequest>;

export const DATASET_ROLES = ["train", "validation", "holdout"] as const;
export const DatasetRole = z.enum(DATASET_ROLES);
export type DatasetRole = z.infer<typeof DatasetRole>;

/**
 * A dataset a version was trained or evaluated on, by content. The server registers the dataset
 * version on first sight (named by its digest unless `version` is given) and links it.
 */
export const VersionDataset = z.object({
  role: DatasetRole,
  name: z.string().min(1).max(200),
  digest: Sha256Digest,
  version: z.string().min(1).max(128).optional(),
  uri: z.string().max(2000).optional(),
  rowCount: z.number().int().nonnegative().nullable().optional(),
});
export type VersionDataset = z.infer<typeof VersionDataset>;

export const CodeReference = z.object({
  repo: z.string().max(500),
  commit: z.string().max(64),
  dirty: z.boolean(),
});
export type CodeReference = z.infer<typeof CodeReference>;

export const RegisterVersionRequest = z.object({
  version: ModelVersion,
  description: z.string().max(5000).optional(),
  artifactUri: z.string().min(1).max(2000),
  artifactDigest: Sha256Digest.nullable().optional(),
  framework: z.string().max(100).optional(),
  code: CodeReference.nullable().optional(),
  trainingConfig: z.record(z.string(), z.unknown()).nullable().optional(),
  metrics: z.record(z.string(), z.number().finite()).optional(),
  tags: z.record(z.string(), z.string().max(500)).optional(),
  datasets: z.array(VersionDataset).max(50).optional(),
  /** `ready` (default) freezes the version now; `registering` waits for `/complete`. */
  status: z.enum(["registering", "ready"]).optional(),
  /** The output's class names; when omitted the model's registered ones are copied. */
  classLabels: ClassLabels.nullable().optional(),
});
export type RegisterVersionRequest = z.infer<typeof RegisterVersionRequest>;
export type RegisterVersionRequestInput = z.input<typeof RegisterVersionRequest>;

/** `PUT /api/v1/models/{model}/schema`: replaces the model's schema (audited). */
export const SetModelSchemaRequest = ModelSchema;
export type SetModelSchemaRequest = z.output<typeof SetModelSchemaRequest>;

/** `PUT .../versions/{version}/class-labels`: allowed until the version is ready. */
export const SetClassLabelsRequest = z.strictObject({ classLabels: ClassLabels.nullable() });
export type SetClassLabelsRequest = z.output<typeof SetClassLabelsRequest>;

export const CompleteVersionRequest = z.object({
  status: z.enum(["ready", "failed"]),
  artifactDigest: Sha256Digest.optional(),
});
export type CompleteVersionRequest = z.infer<typeof CompleteVersionRequest>;

/**
 * One evaluation as CI posts it. The server checks its shape in full (kind, outcome, metrics by
 * slice, fairness group counts); here it only has to be an object.
 */
export const PostEvaluationRequest = z.record(z.string(), z.unknown());
export type PostEvaluationRequest = z.infer<typeof PostEvaluationRequest>;

export const RequestPromotionRequest = z.object({
  environment: z.string().min(1).max(63),
  justification: z.string().max(5000).default(""),
});
export type RequestPromotionRequest = z.input<typeof RequestPromotionRequest>;

export const ModelSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  task: z.string().nullable(),
  schema: ModelSchema,
  createdAt: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const VersionSummary = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string(),
  status: z.string(),
  artifactUri: z.string(),
  artifactDigest: z.string().nullable(),
  framework: z.string(),
  code: CodeReference.nullable(),
  metrics: z.record(z.string(), z.number()),
  classLabels: ClassLabels.nullable(),
  datasets: z.array(
    z.object({
      role: z.string().nullable(),
      name: z.string(),
      version: z.string(),
      digest: z.string(),
    }),
  ),
  createdAt: z.string(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const EvaluationPosted = z.object({
  id: z.string(),
  kind: z.string(),
  outcome: z.string(),
  /** Open promotion requests this new evidence made stale. */
  staleRequestIds: z.array(z.string()),
});
export type EvaluationPosted = z.infer<typeof EvaluationPosted>;

export const GateSummary = z.object({
  ruleId: z.string(),
  kind: z.string(),
  subject: z.string().nullable(),
  outcome: z.string(),
  onFail: z.string(),
  message: z.string(),
});
export type GateSummary = z.infer<typeof GateSummary>;

export const PromotionStatus = z.object({
  id: z.string(),
  state: z.string(),
  model: z.string(),
  version: z.string(),
  environment: z.string(),
  artifactDigest: z.string(),
  requiredApprovals: z.number(),
  approvals: z.number(),
  gateDecision: z.string().nullable(),
  justification: z.string(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  gates: z.object({
    passed: z.number(),
    failed: z.number(),
    other: z.number(),
    results: z.array(GateSummary),
  }),
  decisions: z.array(
    z.object({
      approver: z.string(),
      role: z.string(),
      decision: z.string(),
      comment: z.string().nullable(),
      voided: z.boolean(),
      decidedAt: z.string(),
    }),
  ),
});
export type PromotionStatus = z.infer<typeof PromotionStatus>;

/** Every error the API answers: a stable `error` code and a sentence that names the problem. */
export const ApiErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** States in which a promotion is settled from a pipeline's point of view. */
export const PROMOTION_OUTCOMES = {
  succeeded: ["approved", "deploying", "promoted"],
  refused: ["rejected", "checks_failed"],
  voided: ["expired", "cancelled", "stale", "rolled_back"],
} as const;
