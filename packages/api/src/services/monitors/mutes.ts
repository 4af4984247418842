import { and, eq } from "drizzle-orm";

import { MAX_SELF_SERVICE_CRITICAL_MUTE_MS, type MonitorThreshold } from "@plumbline/contracts";
import { roleHasPermission } from "@plumbline/auth/permissions";
import { monitorMutes, type MonitorMute } from "@plumbline/db/schema";

import { currentTime, userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { withRetryingTransaction } from "../transactions";
import { loadMonitor } from "./manage-monitors";

/**
 * Mute windows. Silencing a monitor that can page someone at critical for more than a day is
 * the kind of change a second person should see: such a mute is stored as pending and is not in
 * force until an approver (never the requester) approves it. Everything else is self-service.
 */

/** A monitor can raise a critical alert when its threshold has a critical level. */
export function canProduceCritical(threshold: MonitorThreshold): boolean {
  switch (threshold.kind) {
    case "static":
    case "relative":
      return threshold.critical !== null;
    case "band":
      return threshold.criticalK !== null;
    case "statistical":
      // The drift package's `alert` status maps to critical.
      return true;
  }
}

/** Whether a mute of this length on this threshold needs an approver. */
export function muteNeedsApproval(threshold: MonitorThreshold, durationMs: number): boolean {
  return canProduceCritical(threshold) && durationMs > MAX_SELF_SERVICE_CRITICAL_MUTE_MS;
}

/** Where a mute stands for the people looking at it. */
export type MuteStatus = "pending_approval" | "scheduled" | "in_force" | "ended" | "cancelled";

export function muteStatus(mute: MonitorMute, now: Date): MuteStatus {
  if (mute.cancelledAt) return "cancelled";
  if (mute.endsAt <= now) return "ended";
  if (mute.needsApproval && !mute.approvedAt) return "pending_approval";
  return mute.startsAt > now ? "scheduled" : "in_force";
}

const MAX_MUTE_MS = 90 * 24 * 60 * 60 * 1000;

export async function createMute(
  ctx: ServiceContext,
  input: { monitorId: string; startsAt: Date; endsAt: Date; reason: string },
): Promise<MonitorMute> {
  const now = currentTime(ctx);
  const reason = input.reason.trim();
  if (reason === "") {
    throw new ServiceError("BAD_REQUEST", "mute_reason_missing", "reason: say why it is muted.");
  }
  if (input.endsAt <= input.startsAt) {
    throw new ServiceError(
      "BAD_REQUEST",
      "mute_ends_before_start",
      "endsAt: must be after startsAt.",
    );
  }
  if (input.endsAt <= now) {
    throw new ServiceError("BAD_REQUEST", "mute_in_past", "endsAt: a mute must end in the future.");
  }
  const durationMs = input.endsAt.getTime() - input.startsAt.getTime();
  if (durationMs > MAX_MUTE_MS) {
    throw new ServiceError(
      "BAD_REQUEST",
      "mute_too_long",
      "endsAt: a mute lasts at most 90 days; disable the monitor instead.",
    );
  }
  return withRetryingTransaction(ctx.db, async (tx) => {
    const monitor = await loadMonitor(tx, ctx.projectId, input.monitorId);
    const needsApproval = muteNeedsApproval(monitor.threshold, durationMs);
    // An approver's own long mute is in force at once: the approval is theirs to give.
    const selfApproved =
      needsApproval &&
      ctx.actor.type === "user" &&
      roleHasPermission(ctx.actor.role, "monitor.approve_mute");
    const [mute] = await tx
      .insert(monitorMutes)
      .values({
        monitorId: monitor.id,
        modelId: monitor.modelId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        reason,
        requestedBy: userIdOf(ctx.actor),
        needsApproval,
        approvedBy: selfApproved ? userIdOf(ctx.actor) : null,
        approvedAt: selfApproved ? now : null,
        createdAt: now,
      })
      .returning();
    await writeAudit(tx, ctx, {
      action: needsApproval && !selfApproved ? "monitor.mute_requested" : "monitor.muted",
      resourceType: "monitor",
      resourceId: monitor.id,
      after: {
        muteId: mute!.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        needsApproval,
        approved: selfApproved,
      },
      reason,
    });
    return mute!;
  });
}

async function loadMute(
  ctx: ServiceContext,
  tx: Parameters<typeof loadMonitor>[0],
  muteId: string,
) {
  const [mute] = await tx.select().from(monitorMutes).where(eq(monitorMutes.id, muteId));
  if (!mute) throw notFound("mute");
  // The monitor check scopes the mute to the caller's project.
  const monitor = await loadMonitor(tx, ctx.projectId, mute.monitorId);
  return { mute, monitor };
}

export async function approveMute(
  ctx: ServiceContext,
  input: { muteId: string },
): Promise<MonitorMute> {
  const now = currentTime(ctx);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const { mute, monitor } = await loadMute(ctx, tx, input.muteId);
    const status = muteStatus(mute, now);
    if (status !== "pending_approval") {
      throw new ServiceError(
        "CONFLICT",
        "mute_not_pending",
        `This mute is ${status.replace("_", " ")}; only a pending mute can be approved.`,
      );
    }
    const approver = userIdOf(ctx.actor);
    if (!approver || approver === mute.requestedBy) {
      throw new ServiceError(
        "FORBIDDEN",
        "self_approval_requester",
        "You requested this mute: another approver must approve it.",
      );
    }
    const [approved] = await tx
      .update(monitorMutes)
      .set({ approvedBy: approver, approvedAt: now })
      .where(and(eq(monitorMutes.id, mute.id), eq(monitorMutes.needsApproval, true)))
      .returning();
    await writeAudit(tx, ctx, {
      action: "monitor.mute_approved",
      resourceType: "monitor",
      resourceId: monitor.id,
      after: { muteId: mute.id, startsAt: mute.startsAt, endsAt: mute.endsAt },
    });
    return approved!;
  });
}

/** Ends a mute now (or withdraws a pending or scheduled one). */
export async function cancelMute(
  ctx: ServiceContext,
  input: { muteId: string },
): Promise<MonitorMute> {
  const now = currentTime(ctx);
  return withRetryingTransaction(ctx.db, async (tx) => {
    const { mute, monitor } = await loadMute(ctx, tx, input.muteId);
    const status = muteStatus(mute, now);
    if (status === "cancelled" || status === "ended") {
      throw new ServiceError("CONFLICT", "mute_over", `This mute is already ${status}.`);
    }
    const [cancelled] = await tx
      .update(monitorMutes)
      .set({ cancelledAt: now })
      .where(eq(monitorMutes.id, mute.id))
      .returning();
    await writeAudit(tx, ctx, {
      action: "monitor.mute_cancelled",
      resourceType: "monitor",
      resourceId: monitor.id,
      before: { muteId: mute.id, status },
    });
    return cancelled!;
  });
}
