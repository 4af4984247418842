import type { ApiKeyScope } from "@plumbline/db/schema";

/**
 * What each scope lets a key do, in the order the form lists them. Typed against the contracts'
 * list, so a new scope fails the typecheck until it is described here.
 */
export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  "predictions:write": "Send prediction logs",
  "labels:write": "Send ground-truth labels",
  "baselines:write": "Upload reference datasets",
  "models:register": "Register models and versions",
  "evaluations:write": "Record evaluation results",
  "promotions:request": "Request promotions (never approve)",
  "deployments:abort": "Abort a canary deployment",
  read: "Read monitoring data",
};

export const API_KEY_SCOPE_ORDER = Object.keys(API_KEY_SCOPE_DESCRIPTIONS) as ApiKeyScope[];

export const DEFAULT_API_KEY_SCOPES: ApiKeyScope[] = ["predictions:write", "labels:write"];
