import type { PromotionError, PromotionErrorCode } from "@plumbline/governance";

import { ServiceError, type ServiceErrorCode } from "../service-error";

/** How each refusal of the state machine reaches a caller. */
const CODE_OF: Record<PromotionErrorCode, ServiceErrorCode> = {
  terminal_state: "CONFLICT",
  invalid_transition: "CONFLICT",
  not_expired_yet: "CONFLICT",
  request_expired: "CONFLICT",
  already_decided: "CONFLICT",
  open_request_exists: "CONFLICT",
  version_not_ready: "PRECONDITION_FAILED",
  digest_mismatch: "PRECONDITION_FAILED",
  actor_not_user: "FORBIDDEN",
  self_approval_requester: "FORBIDDEN",
  self_approval_creator: "FORBIDDEN",
  role_not_eligible: "FORBIDDEN",
  not_requester_or_admin: "FORBIDDEN",
  break_glass_requires_admin: "FORBIDDEN",
  requester_not_allowed: "FORBIDDEN",
  comment_required: "BAD_REQUEST",
  break_glass_reason_required: "BAD_REQUEST",
  invalid_artifact_digest: "BAD_REQUEST",
  justification_required: "BAD_REQUEST",
};

export function promotionRefusal(error: PromotionError): ServiceError {
  return new ServiceError(CODE_OF[error.code], error.code, error.message);
}
