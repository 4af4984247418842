import type { ModelCard } from "../src/model-card";
import { modelCardSchema } from "../src/model-card";

/** A complete card for a credit-risk model, as an engineer would fill it. */
export function completeCard(): ModelCard {
  return modelCardSchema.parse({
    modelDetails: {
      name: "credit-risk",
      overview: "Scores the default risk of a consumer loan application.",
      owners: [{ name: "Risk ML team", contact: "risk-ml@example.com" }],
      version: { name: "7", date: "2025-03-01" },
      licenses: [{ identifier: "Apache-2.0" }],
      references: [{ reference: "https://example.com/design-doc" }],
    },
    modelParameters: {
      modelArchitecture: "Gradient-boosted trees",
      data: [
        {
          name: "loans-2024-12",
          role: "train",
          digest: `sha256:${"c".repeat(64)}`,
          rowCount: 120000,
        },
      ],
    },
    quantitativeAnalysis: { performanceMetrics: [{ type: "auc", value: 0.84 }] },
    considerations: {
      users: [{ description: "Credit analysts" }],
      useCases: [{ description: "Pre-screening applications" }],
      limitations: [{ description: "Not validated for business loans" }],
      tradeoffs: [{ description: "Recall favoured over precision" }],
      ethicalConsiderations: [
        { name: "Age as a proxy", mitigationStrategy: "Monitored by fairness gates" },
      ],
      riskRating: "high",
    },
  });
}
