import type { RouterOutputs } from "@plumbline/api";

export type PromotionListItem = RouterOutputs["promotions"]["list"][number];

/**
 * Whether a request waits for this viewer's decision, as far as the UI can tell: nobody approves
 * their own request (nor one their CI key made) or a version they registered, nor decides twice. The server checks again.
 */
export function awaitsDecisionBy(request: PromotionListItem, userId: string): boolean {
  return (
    request.state === "awaiting_approval" &&
    request.requesterId !== userId &&
    request.requesterUserId !== userId &&
    request.versionCreatorId !== userId &&
    !request.deciderIds.includes(userId)
  );
}
