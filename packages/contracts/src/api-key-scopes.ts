import { z } from "zod";

/**
 * What an API key may do; the database stores keys' scopes from this list. No scope approves a
 * promotion: only a signed-in approver can.
 */
export const API_KEY_SCOPES = [
  "read",
  "predictions:write",
  "labels:write",
  "baselines:write",
  "models:register",
  "evaluations:write",
  "promotions:request",
  "deployments:abort",
] as const;

export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;
