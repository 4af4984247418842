import type { RouterInputs } from "@plumbline/api";

type EventChoice = RouterInputs["webhooks"]["create"]["eventTypes"][number];

/** `*`: every event type, including ones added later (the router's `ALL_EVENTS`). */
export const ALL_EVENTS = "*" satisfies EventChoice;

export type WebhookEventType = Exclude<EventChoice, typeof ALL_EVENTS>;

type EventGroup = "Promotions" | "Registry" | "Governance" | "Monitoring" | "Rollouts";

/**
 * What each event announces, grouped as the form lists them. Typed against the router's list, so
 * a new event type fails the typecheck until it is described here.
 */
export const WEBHOOK_EVENTS: Record<WebhookEventType, { group: EventGroup; description: string }> =
  {
    "promotion.requested": { group: "Promotions", description: "A promotion was requested" },
    "promotion.checks_failed": { group: "Promotions", description: "A gate failed" },
    "promotion.awaiting_approval": {
      group: "Promotions",
      description: "Gates passed; approvers are needed",
    },
    "promotion.approval_recorded": {
      group: "Promotions",
      description: "An approver approved or rejected",
    },
    "promotion.approved": { group: "Promotions", description: "Quorum reached" },
    "promotion.rejected": { group: "Promotions", description: "An approver vetoed" },
    "promotion.expired": { group: "Promotions", description: "Approval expired" },
    "promotion.cancelled": { group: "Promotions", description: "The request was cancelled" },
    "promotion.stale": {
      group: "Promotions",
      description: "Artifact, card or policy changed; approvals void",
    },
    "promotion.break_glass": { group: "Promotions", description: "An admin approved alone" },
    "promotion.deploying": { group: "Promotions", description: "Deployment started" },
    "promotion.promoted": { group: "Promotions", description: "The alias now serves the version" },
    "promotion.rolled_back": { group: "Promotions", description: "Deployment rolled back" },
    "promotion.notification": {
      group: "Promotions",
      description: "People to tell: the requester, the approvers or the admins",
    },
    "alias.moved": { group: "Registry", description: "An alias points at another version" },
    "model.registered": { group: "Registry", description: "A model was registered" },
    "model_version.registered": { group: "Registry", description: "A version was registered" },
    "model_version.ready": { group: "Registry", description: "A version's artifact is ready" },
    "model_version.artifact_mismatch": {
      group: "Registry",
      description: "An artifact's digest changed",
    },
    "evaluation.posted": { group: "Registry", description: "An evaluation was recorded" },
    "gate_policy.updated": { group: "Governance", description: "A promotion policy changed" },
    "model_card.submitted": { group: "Governance", description: "A model card awaits review" },
    "model_card.approved": { group: "Governance", description: "A model card was approved" },
    "alert.firing": { group: "Monitoring", description: "A monitor's alert fired" },
    "alert.escalated": { group: "Monitoring", description: "An open alert became critical" },
    "alert.resolved": { group: "Monitoring", description: "An alert was resolved" },
    "retraining.requested": {
      group: "Monitoring",
      description: "Drift asked the training pipeline to retrain a model",
    },
    "deployment.started": { group: "Rollouts", description: "A canary deployment started" },
    "deployment.weight_changed": {
      group: "Rollouts",
      description: "The canary's traffic weight changed (patch the serving layer)",
    },
    "deployment.inconclusive": {
      group: "Rollouts",
      description: "A canary analysis was inconclusive; an approver decides",
    },
    "deployment.succeeded": { group: "Rollouts", description: "A canary was promoted" },
    "deployment.rolled_back": { group: "Rollouts", description: "A canary was rolled back" },
  };

export const WEBHOOK_EVENT_GROUPS: { group: EventGroup; types: WebhookEventType[] }[] = (
  ["Promotions", "Registry", "Governance", "Monitoring", "Rollouts"] as const
).map((group) => ({
  group,
  types: (Object.keys(WEBHOOK_EVENTS) as WebhookEventType[]).filter(
    (type) => WEBHOOK_EVENTS[type].group === group,
  ),
}));
