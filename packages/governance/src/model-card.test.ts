import { describe, expect, it } from "vitest";

import { completeCard } from "../test/model-card-fixtures";
import {
  emptyModelCard,
  hashModelCard,
  MODEL_CARD_REQUIRED_SECTIONS,
  modelCardCompleteness,
  modelCardSchema,
} from "./model-card";

describe("modelCardSchema", () => {
  it("parses an empty draft into every Model Card Toolkit section, blank", () => {
    const card = emptyModelCard();
    expect(Object.keys(card)).toEqual([
      "modelDetails",
      "modelParameters",
      "quantitativeAnalysis",
      "considerations",
    ]);
    expect(card.modelDetails).toMatchObject({
      name: "",
      owners: [],
      version: { name: "", date: "", diff: "" },
      licenses: [],
      references: [],
    });
    expect(card.modelParameters.data).toEqual([]);
    expect(card.quantitativeAnalysis.performanceMetrics).toEqual([]);
    expect(card.considerations).toMatchObject({
      users: [],
      useCases: [],
      limitations: [],
      tradeoffs: [],
      ethicalConsiderations: [],
      riskRating: null,
    });
  });

  it("refuses an unknown risk rating and a non-finite metric", () => {
    expect(modelCardSchema.safeParse({ considerations: { riskRating: "extreme" } }).success).toBe(
      false,
    );
    expect(
      modelCardSchema.safeParse({
        quantitativeAnalysis: { performanceMetrics: [{ type: "auc", value: Infinity }] },
      }).success,
    ).toBe(false);
  });
});

describe("modelCardCompleteness", () => {
  it("lists every required section of an empty card", () => {
    expect(modelCardCompleteness(emptyModelCard())).toEqual({
      complete: false,
      missing: [...MODEL_CARD_REQUIRED_SECTIONS],
    });
  });

  it("is complete when every required section is filled (optional ones may stay blank)", () => {
    const card = completeCard();
    card.considerations.tradeoffs = [];
    card.modelDetails.references = [];
    expect(modelCardCompleteness(card)).toEqual({ complete: true, missing: [] });
  });

  it("treats whitespace as blank and names each gap", () => {
    const card = completeCard();
    card.modelDetails.overview = "   ";
    card.considerations.riskRating = null;
    card.modelDetails.licenses = [{}];
    expect(modelCardCompleteness(card).missing).toEqual([
      "modelDetails.overview",
      "modelDetails.licenses",
      "considerations.riskRating",
    ]);
  });
});

describe("hashModelCard", () => {
  it("is stable, ignores key order and default spelling, and changes with content", () => {
    const card = completeCard();
    expect(hashModelCard(card)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashModelCard({})).toBe(hashModelCard(emptyModelCard()));
    const reordered = JSON.parse(
      JSON.stringify({
        considerations: card.considerations,
        modelDetails: card.modelDetails,
        quantitativeAnalysis: card.quantitativeAnalysis,
        modelParameters: card.modelParameters,
      }),
    ) as typeof card;
    expect(hashModelCard(reordered)).toBe(hashModelCard(card));
    expect(
      hashModelCard({ ...card, considerations: { ...card.considerations, riskRating: "low" } }),
    ).not.toBe(hashModelCard(card));
  });
});
