import { z } from "zod";

import { RISK_TIERS } from "@plumbline/contracts";

import { sha256OfCanonicalJson } from "./canonical-json";

/**
 * A model card in the layout of Google's Model Card Toolkit (`model_card.proto`: model_details,
 * model_parameters, quantitative_analysis, considerations), in camelCase, plus the spec's risk
 * rating (spec, "Governance documents"). Every section has a default so that a draft can start
 * empty; {@link modelCardCompleteness} says what is still missing.
 */
const text = z.string().default("");
const described = z.object({ description: z.string().min(1) });

export const modelCardOwnerSchema = z.object({
  name: z.string().min(1),
  contact: z.string().optional(),
});

export const modelCardLicenseSchema = z.object({
  /** SPDX identifier, e.g. `Apache-2.0`, or `customText` for a proprietary licence. */
  identifier: z.string().min(1).optional(),
  customText: z.string().min(1).optional(),
});

/** MCT `Dataset`, with the lineage facts Plumbline fills in. */
export const modelCardDatasetSchema = z.object({
  name: z.string().min(1),
  role: z.enum(["train", "validation", "holdout"]).optional(),
  description: z.string().optional(),
  link: z.string().optional(),
  digest: z.string().optional(),
  rowCount: z.number().int().nonnegative().optional(),
  sensitive: z.array(z.string().min(1)).optional(),
});

/** MCT `PerformanceMetric`, with a numeric value and the sample size behind it. */
export const modelCardPerformanceMetricSchema = z.object({
  type: z.string().min(1),
  value: z.number().finite(),
  slice: z.string().min(1).nullable().default(null),
  confidenceInterval: z
    .object({ lowerBound: z.number().finite(), upperBound: z.number().finite() })
    .optional(),
  n: z.number().int().nonnegative().optional(),
});

/** A card rates risk on the same scale as the model's tier. */
export const RISK_RATINGS = RISK_TIERS;

export const modelCardSchema = z.object({
  modelDetails: z
    .object({
      name: text,
      overview: text,
      documentation: text,
      owners: z.array(modelCardOwnerSchema).default([]),
      version: z.object({ name: text, date: text, diff: text }).prefault({}),
      licenses: z.array(modelCardLicenseSchema).default([]),
      references: z.array(z.object({ reference: z.string().min(1) })).default([]),
      citations: z
        .array(z.object({ style: z.string().optional(), citation: z.string().min(1) }))
        .default([]),
    })
    .prefault({}),
  modelParameters: z
    .object({
      modelArchitecture: text,
      data: z.array(modelCardDatasetSchema).default([]),
      inputFormat: text,
      outputFormat: text,
    })
    .prefault({}),
  quantitativeAnalysis: z
    .object({ performanceMetrics: z.array(modelCardPerformanceMetricSchema).default([]) })
    .prefault({}),
  considerations: z
    .object({
      users: z.array(described).default([]),
      useCases: z.array(described).default([]),
      limitations: z.array(described).default([]),
      tradeoffs: z.array(described).default([]),
      ethicalConsiderations: z
        .array(z.object({ name: z.string().min(1), mitigationStrategy: z.string().default("") }))
        .default([]),
      riskRating: z.enum(RISK_RATINGS).nullable().default(null),
    })
    .prefault({}),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
export type ModelCardInput = z.input<typeof modelCardSchema>;
export type ModelCardDataset = z.infer<typeof modelCardDatasetSchema>;
export type ModelCardPerformanceMetric = z.infer<typeof modelCardPerformanceMetricSchema>;
export type RiskRating = (typeof RISK_RATINGS)[number];

/** An empty draft card, every section present and blank. */
export function emptyModelCard(): ModelCard {
  return modelCardSchema.parse({});
}

/**
 * The sections a card must fill before it is complete (the `model_card_complete` gate), as
 * dotted paths. References, citations, documentation, formats and tradeoffs are optional.
 */
export const MODEL_CARD_REQUIRED_SECTIONS = [
  "modelDetails.name",
  "modelDetails.overview",
  "modelDetails.owners",
  "modelDetails.version.name",
  "modelDetails.licenses",
  "modelParameters.data",
  "quantitativeAnalysis.performanceMetrics",
  "considerations.users",
  "considerations.useCases",
  "considerations.limitations",
  "considerations.ethicalConsiderations",
  "considerations.riskRating",
] as const;

export type ModelCardSection = (typeof MODEL_CARD_REQUIRED_SECTIONS)[number];

export interface ModelCardCompleteness {
  complete: boolean;
  missing: ModelCardSection[];
}

/** Lists the required sections that are blank (empty text, empty list, no risk rating). */
export function modelCardCompleteness(card: ModelCard): ModelCardCompleteness {
  const filled: Record<ModelCardSection, boolean> = {
    "modelDetails.name": card.modelDetails.name.trim() !== "",
    "modelDetails.overview": card.modelDetails.overview.trim() !== "",
    "modelDetails.owners": card.modelDetails.owners.length > 0,
    "modelDetails.version.name": card.modelDetails.version.name.trim() !== "",
    "modelDetails.licenses": card.modelDetails.licenses.some(
      (licence) => licence.identifier !== undefined || licence.customText !== undefined,
    ),
    "modelParameters.data": card.modelParameters.data.length > 0,
    "quantitativeAnalysis.performanceMetrics":
      card.quantitativeAnalysis.performanceMetrics.length > 0,
    "considerations.users": card.considerations.users.length > 0,
    "considerations.useCases": card.considerations.useCases.length > 0,
    "considerations.limitations": card.considerations.limitations.length > 0,
    "considerations.ethicalConsiderations": card.considerations.ethicalConsiderations.length > 0,
    "considerations.riskRating": card.considerations.riskRating !== null,
  };
  const missing = MODEL_CARD_REQUIRED_SECTIONS.filter((section) => !filled[section]);
  return { complete: missing.length === 0, missing };
}

/**
 * Stable content hash of a card (`sha256:<hex>` of canonical JSON after parsing, so defaults are
 * filled). An approval records the hash it saw; a different hash means the card changed and open
 * approvals are void (state machine: `invalidate` with cause `model_card_changed`).
 */
export function hashModelCard(card: ModelCardInput): string {
  return sha256OfCanonicalJson(modelCardSchema.parse(card));
}
