import { PROMOTION_OUTBOX_EVENT_TYPES } from "@plumbline/governance";

/** Every event type written to the outbox: the names webhook subscriptions choose from. */
export const WEBHOOK_EVENT_TYPES = [
  ...PROMOTION_OUTBOX_EVENT_TYPES,
  /** A promotion asks people to act or tells them of an outcome (`audience` in the payload). */
  "promotion.notification",
  "model.registered",
  "model_version.registered",
  "model_version.ready",
  "model_version.artifact_mismatch",
  "evaluation.posted",
  "gate_policy.updated",
  "model_card.submitted",
  "model_card.approved",
  /** An alert fired, escalated from warning to critical, or resolved (monitor-routed channels). */
  "alert.firing",
  "alert.escalated",
  "alert.resolved",
  /** A retraining policy (or a person, from an alert) asks the training pipeline to retrain. */
  "retraining.requested",
  /** A canary deployment started, changed its traffic weight, paused on an inconclusive
   * analysis, succeeded (the alias moved) or rolled back (weight 0, the alias unchanged). */
  "deployment.started",
  "deployment.weight_changed",
  "deployment.inconclusive",
  "deployment.succeeded",
  "deployment.rolled_back",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A subscription to `*` receives every event type, including ones added later. */
export const ALL_EVENTS = "*";
