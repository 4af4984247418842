import { z } from "zod";

import { ModelSlug, ModelVersion } from "./names";

export const DEPLOYMENTS = ["stable", "canary", "shadow", "challenger"] as const;
export const Deployment = z.enum(DEPLOYMENTS);
export type Deployment = z.infer<typeof Deployment>;

export const ENVIRONMENTS = ["production", "staging", "validation", "training"] as const;
export const Environment = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof Environment>;

/** Which model and version produced a prediction. */
export const ModelReference = z.strictObject(
  {
    id: ModelSlug,
    version: ModelVersion,
    deployment: Deployment.default("stable"),
    environment: Environment.default("production"),
  },
  {
    error: (issue) => {
      if (issue.input === undefined) return "is required (on the record, or once for the batch)";
      if (issue.code === "invalid_type") {
        return "must be an object { id, version, deployment?, environment? }";
      }
      return undefined;
    },
  },
);
export type ModelReference = z.infer<typeof ModelReference>;
export type ModelReferenceInput = z.input<typeof ModelReference>;

/** Labels may omit the version: they then apply to every version that logged the prediction. */
export const LabelModelReference = z.strictObject(
  {
    id: ModelSlug,
    version: ModelVersion.optional(),
  },
  {
    error: (issue) => {
      if (issue.input === undefined) return "is required (on the label, or once for the batch)";
      if (issue.code === "invalid_type") return "must be an object { id, version? }";
      return undefined;
    },
  },
);
export type LabelModelReference = z.infer<typeof LabelModelReference>;
