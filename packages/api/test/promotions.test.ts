import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyAuditChain } from "@plumbline/db/audit";
import { testArtifactDigest } from "@plumbline/db/factories";
import {
  approvals,
  auditLog,
  modelAliases,
  modelAliasHistory,
  outboxEvents,
  promotionRequests,
} from "@plumbline/db/schema";
import { createTestDatabase, type TestDatabase } from "@plumbline/db/testing";

import { editModelCard } from "../src/services/model-cards/model-cards";
import {
  breakGlassPromotion,
  cancelPromotion,
  decidePromotion,
  expireDuePromotions,
} from "../src/services/promotions/decide-promotion";
import {
  deployPromotion,
  rollBackPromotion,
  startPromotionDeployment,
} from "../src/services/promotions/deploy-promotion";
import { upsertGatePolicy } from "../src/services/promotions/gate-policies";
import { loadPromotion } from "../src/services/promotions/promotion-record";
import {
  createPromotion,
  requestPromotion,
  runPromotionGates,
} from "../src/services/promotions/request-promotion";
import { moveAlias } from "../src/services/registry/aliases";
import { postEvaluation } from "../src/services/registry/evaluations";
import { reportArtifactDigest } from "../src/services/registry/models";
import { ServiceError } from "../src/services/service-error";
import {
  createGovernanceFixture,
  expectRefusal,
  SCHEMA_ONLY_RULES,
  type GovernanceFixture,
  type Member,
} from "./governance-fixture";

let database: TestDatabase;
let f: GovernanceFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  f = await createGovernanceFixture(database);
});
afterAll(async () => {
  await database.drop();
});

const approve = (who: Member, requestId: string, digest: string, comment = "looks good") =>
  decidePromotion(f.ctxOf(who), {
    requestId,
    decision: "approve",
    comment,
    artifactDigest: digest,
  });
const reject = (who: Member, requestId: string, digest: string, comment = "no") =>
  decidePromotion(f.ctxOf(who), { requestId, decision: "reject", comment, artifactDigest: digest });
const stateOf = async (requestId: string) => (await loadPromotion(f.db, requestId))!.request.state;

describe("creating a request and running gates", () => {
  it("opens in checks_running, then awaits approval when the gates pass", async () => {
    const version = await f.candidate();
    const created = await createPromotion(f.ctxOf(f.engineer), {
      modelVersionId: version.id,
      environmentName: "production",
      justification: "ship it",
    });
    expect(created).toMatchObject({ state: "checks_running", version: 1 });
    const gated = await runPromotionGates(f.ctxOf(f.engineer), created.id);
    expect(gated.request).toMatchObject({ state: "awaiting_approval", requiredApprovals: 2 });
    expect(gated.request.expiresAt).not.toBeNull();
    const [row] = await f.db
      .select()
      .from(promotionRequests)
      .where(eq(promotionRequests.id, created.id));
    expect(row).toMatchObject({ version: 2, artifactDigest: version.artifactDigest });
    const audit = await f.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.resourceId, created.id));
    expect(audit.map((a) => a.action)).toEqual([
      "promotion.requested",
      "promotion.awaiting_approval",
    ]);
  });

  it("fails the checks when a blocking gate fails (checks_failed)", async () => {
    const version = await f.candidate(f.engineer, "fail");
    const request = await requestPromotion(f.ctxOf(f.engineer), {
      modelVersionId: version.id,
      environmentName: "production",
      justification: "try",
    });
    expect(request.state).toBe("checks_failed");
    expect(request.closedReason).toMatch(/schema_validation/);
  });

  it("approves as the system when every gate passes and the policy needs no approval", async () => {
    const { request } = await f.openRequest("development");
    expect(request).toMatchObject({ state: "approved", approvedVia: "system" });
  });

  it("refuses a second open request for the same version and environment", async () => {
    const { version } = await f.openRequest("production");
    await expectRefusal(
      requestPromotion(f.ctxOf(f.engineer), {
        modelVersionId: version.id,
        environmentName: "production",
        justification: "again",
      }),
      "open_request_exists",
      "CONFLICT",
    );
  });

  it("refuses a version that is not ready and an empty justification", async () => {
    const version = await f.candidate();
    await expectRefusal(
      requestPromotion(f.ctxOf(f.engineer), {
        modelVersionId: version.id,
        environmentName: "production",
        justification: "  ",
      }),
      "justification_required",
      "BAD_REQUEST",
    );
    await reportArtifactDigest(f.ctxOf(f.engineer), {
      versionId: version.id,
      observedDigest: testArtifactDigest("tampered"),
    });
    await expectRefusal(
      requestPromotion(f.ctxOf(f.engineer), {
        modelVersionId: version.id,
        environmentName: "production",
        justification: "x",
      }),
      "version_not_ready",
    );
  });
});

describe("approvals, quorum and veto", () => {
  it("needs two approvals on production, then deploys and moves the alias with history", async () => {
    const { version, request } = await f.openRequest("production");
    const digest = version.artifactDigest!;
    const first = await approve(f.approvers[0]!, request.id, digest);
    expect(first.state).toBe("awaiting_approval");
    const second = await approve(f.approvers[1]!, request.id, digest);
    expect(second).toMatchObject({ state: "approved", approvedVia: "quorum" });
    const promoted = await deployPromotion(f.ctxOf(f.engineer), { requestId: request.id });
    expect(promoted.state).toBe("promoted");
    const [alias] = await f.db
      .select()
      .from(modelAliases)
      .where(and(eq(modelAliases.modelId, f.model.id), eq(modelAliases.name, "production")));
    expect(alias).toMatchObject({ modelVersionId: version.id, protected: true });
    const history = await f.db
      .select()
      .from(modelAliasHistory)
      .where(eq(modelAliasHistory.promotionRequestId, request.id));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ toVersionId: version.id, via: "promotion" });
  });

  it("vetoes with one rejection; the closed request refuses further decisions", async () => {
    const { version, request } = await f.openRequest("production");
    await approve(f.approvers[0]!, request.id, version.artifactDigest!);
    const rejected = await reject(f.approvers[1]!, request.id, version.artifactDigest!, "bias");
    expect(rejected).toMatchObject({ state: "rejected", closedReason: "bias" });
    await expectRefusal(
      approve(f.approvers[2]!, request.id, version.artifactDigest!),
      "terminal_state",
    );
  });

  it("refuses self-approval by the requester and by the version's creator", async () => {
    const { version, request } = await f.openRequest("production", f.engineer, f.approvers[3]);
    await expectRefusal(
      approve(f.engineer, request.id, version.artifactDigest!),
      "self_approval_requester",
      "FORBIDDEN",
    );
    await expectRefusal(
      approve(f.engineer2, request.id, version.artifactDigest!),
      "role_not_eligible",
      "FORBIDDEN",
    );
    await expectRefusal(
      approve(f.approvers[3]!, request.id, version.artifactDigest!),
      "self_approval_creator",
      "FORBIDDEN",
    );
    const own = await f.openRequest("production", f.approvers[4], f.engineer);
    await expectRefusal(
      approve(f.approvers[4]!, own.request.id, own.version.artifactDigest!),
      "self_approval_requester",
      "FORBIDDEN",
    );
  });

  it("lets an ml_engineer approve staging when the policy allows, never their own", async () => {
    const { version, request } = await f.openRequest("staging", f.engineer);
    await expectRefusal(
      approve(f.engineer, request.id, version.artifactDigest!),
      "self_approval_requester",
    );
    const approved = await approve(f.engineer2, request.id, version.artifactDigest!);
    expect(approved.state).toBe("approved");
  });

  it("binds approvals to the artifact digest, requires a comment, once per approver", async () => {
    const { version, request } = await f.openRequest("production");
    await expectRefusal(
      approve(f.approvers[0]!, request.id, testArtifactDigest("other")),
      "digest_mismatch",
      "PRECONDITION_FAILED",
    );
    await expectRefusal(
      approve(f.approvers[0]!, request.id, version.artifactDigest!, " "),
      "comment_required",
      "BAD_REQUEST",
    );
    await approve(f.approvers[0]!, request.id, version.artifactDigest!);
    await expectRefusal(
      approve(f.approvers[0]!, request.id, version.artifactDigest!),
      "already_decided",
      "CONFLICT",
    );
  });

  it("counts five concurrent approvals against a quorum of two exactly once", async () => {
    const { version, request } = await f.openRequest("production");
    const results = await Promise.allSettled(
      f.approvers.map((who) => approve(who, request.id, version.artifactDigest!)),
    );
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(fulfilled).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const failure of refused) {
      expect(failure.reason).toBeInstanceOf(ServiceError);
      expect((failure.reason as ServiceError).reason).toBe("invalid_transition");
    }
    const stored = await f.db.select().from(approvals).where(eq(approvals.requestId, request.id));
    expect(stored).toHaveLength(2);
    const { request: after } = (await loadPromotion(f.db, request.id))!;
    expect(after).toMatchObject({ state: "approved", version: 4 });
    const approvedAudit = await f.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceId, request.id), eq(auditLog.action, "promotion.approved")));
    expect(approvedAudit).toHaveLength(1);
    // Deploying twice at once moves the alias once.
    const deploys = await Promise.allSettled([
      deployPromotion(f.ctxOf(f.engineer), { requestId: request.id }),
      deployPromotion(f.ctxOf(f.admin), { requestId: request.id }),
    ]);
    expect(deploys.filter((d) => d.status === "fulfilled")).toHaveLength(1);
    const history = await f.db
      .select()
      .from(modelAliasHistory)
      .where(eq(modelAliasHistory.promotionRequestId, request.id));
    expect(history).toHaveLength(1);
  });
});

describe("expiry, cancellation, break-glass and rollback", () => {
  it("expires requests past their window, and a late approval expires it first", async () => {
    const { version, request } = await f.openRequest("production");
    const late = new Date(Date.now() + 73 * 3_600_000);
    await expectRefusal(
      decidePromotion(f.ctxOf(f.approver, { now: () => late }), {
        requestId: request.id,
        decision: "approve",
        comment: "ok",
        artifactDigest: version.artifactDigest!,
      }),
      "request_expired",
    );
    expect(await stateOf(request.id)).toBe("expired");
    const other = await f.openRequest("production");
    expect((await expireDuePromotions(f.db, new Date())).expired).not.toContain(other.request.id);
    const { expired } = await expireDuePromotions(f.db, late);
    expect(expired).toContain(other.request.id);
    expect(await stateOf(other.request.id)).toBe("expired");
  });

  it("cancels by the requester or an admin only, from checks_running, awaiting or approved", async () => {
    const version = await f.candidate();
    const created = await createPromotion(f.ctxOf(f.engineer), {
      modelVersionId: version.id,
      environmentName: "production",
      justification: "x",
    });
    const cancelled = await cancelPromotion(f.ctxOf(f.engineer), { requestId: created.id });
    expect(cancelled.state).toBe("cancelled");

    const { request } = await f.openRequest("production");
    await expectRefusal(
      cancelPromotion(f.ctxOf(f.approver), { requestId: request.id }),
      "not_requester_or_admin",
      "FORBIDDEN",
    );
    expect((await cancelPromotion(f.ctxOf(f.admin), { requestId: request.id })).state).toBe(
      "cancelled",
    );

    const { request: approved } = await f.openRequest("development");
    expect(approved.state).toBe("approved");
    const closed = await cancelPromotion(f.ctxOf(f.engineer), {
      requestId: approved.id,
      reason: "superseded",
    });
    expect(closed).toMatchObject({ state: "cancelled", closedReason: "superseded" });
  });

  it("breaks the glass for an admin with a reason only, and flags the alias move", async () => {
    const { request } = await f.openRequest("production");
    await expectRefusal(
      breakGlassPromotion(f.ctxOf(f.admin), { requestId: request.id, reason: " " }),
      "break_glass_reason_required",
      "BAD_REQUEST",
    );
    await expectRefusal(
      breakGlassPromotion(f.ctxOf(f.approver), { requestId: request.id, reason: "outage" }),
      "break_glass_requires_admin",
      "FORBIDDEN",
    );
    const approved = await breakGlassPromotion(f.ctxOf(f.admin), {
      requestId: request.id,
      reason: "incident 42: v1 leaks PII",
    });
    expect(approved).toMatchObject({ state: "approved", approvedVia: "break_glass" });
    await deployPromotion(f.ctxOf(f.admin), { requestId: request.id });
    const [move] = await f.db
      .select()
      .from(modelAliasHistory)
      .where(eq(modelAliasHistory.promotionRequestId, request.id));
    expect(move).toMatchObject({ via: "break_glass", reason: "incident 42: v1 leaks PII" });
    const flagged = await f.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.resourceId, request.id), eq(auditLog.action, "promotion.break_glass")),
      );
    expect(flagged).toHaveLength(1);
  });

  it("breaks the glass from checks_running and still stores the gate results", async () => {
    const version = await f.candidate();
    const created = await createPromotion(f.ctxOf(f.engineer), {
      modelVersionId: version.id,
      environmentName: "production",
      justification: "x",
    });
    await breakGlassPromotion(f.ctxOf(f.admin), { requestId: created.id, reason: "hotfix" });
    const gated = await runPromotionGates(f.ctxOf(f.engineer), created.id);
    expect(gated).toMatchObject({ applied: false, request: { state: "approved" } });
    expect(gated.results).toHaveLength(1);
  });

  it("rolls back a deploying request without moving the alias; ml_engineers only their own", async () => {
    const { version, request } = await f.openRequest("staging", f.engineer);
    await approve(f.approver, request.id, version.artifactDigest!);
    await startPromotionDeployment(f.ctxOf(f.engineer), { requestId: request.id });
    await expectRefusal(
      rollBackPromotion(f.ctxOf(f.engineer2), { requestId: request.id, reason: "errors" }),
      "not_own_deployment",
      "FORBIDDEN",
    );
    const rolledBack = await rollBackPromotion(f.ctxOf(f.engineer), {
      requestId: request.id,
      reason: "error rate up",
    });
    expect(rolledBack.state).toBe("rolled_back");
    const moves = await f.db
      .select()
      .from(modelAliasHistory)
      .where(eq(modelAliasHistory.promotionRequestId, request.id));
    expect(moves).toHaveLength(0);
  });
});

describe("staleness", () => {
  const voidedOf = async (requestId: string) =>
    (await f.db.select().from(approvals).where(eq(approvals.requestId, requestId))).map(
      (a) => a.voided,
    );

  it("goes stale when a new evaluation is posted, voiding approvals", async () => {
    const { version, request } = await f.openRequest("production");
    await approve(f.approver, request.id, version.artifactDigest!);
    const posted = await postEvaluation(f.ctxOf(f.engineer), {
      versionId: version.id,
      evaluation: { kind: "holdout", outcome: "pass", metrics: [{ metric: "auc", value: 0.8 }] },
    });
    expect(posted.staleRequestIds).toEqual([request.id]);
    expect(await stateOf(request.id)).toBe("stale");
    expect(await voidedOf(request.id)).toEqual([true]);
  });

  it("goes stale when the artifact changes under the version", async () => {
    const { version, request } = await f.openRequest("production");
    await approve(f.approver, request.id, version.artifactDigest!);
    const same = await reportArtifactDigest(f.ctxOf(f.engineer), {
      versionId: version.id,
      observedDigest: version.artifactDigest!,
    });
    expect(same.matches).toBe(true);
    const changed = await reportArtifactDigest(f.ctxOf(f.engineer), {
      versionId: version.id,
      observedDigest: testArtifactDigest("replaced"),
    });
    expect(changed).toEqual({ matches: false, staleRequestIds: [request.id] });
    const { request: stale } = (await loadPromotion(f.db, request.id))!;
    expect(stale).toMatchObject({ state: "stale" });
    expect(stale.closedReason).toMatch(/^artifact_changed/);
  });

  it("goes stale when the model card changes, even once approved", async () => {
    const version = await f.candidate();
    await editModelCard(f.ctxOf(f.engineer), {
      versionId: version.id,
      content: { modelDetails: { name: "Credit risk" } },
    });
    const { request } = await (async () => ({
      request: await requestPromotion(f.ctxOf(f.engineer), {
        modelVersionId: version.id,
        environmentName: "staging",
        justification: "x",
      }),
    }))();
    await approve(f.approver, request.id, version.artifactDigest!);
    expect(await stateOf(request.id)).toBe("approved");
    await editModelCard(f.ctxOf(f.engineer), {
      versionId: version.id,
      content: { modelDetails: { name: "Credit risk", overview: "changed" } },
    });
    const { request: stale } = (await loadPromotion(f.db, request.id))!;
    expect(stale.closedReason).toMatch(/^model_card_changed/);
    expect(stale.state).toBe("stale");
  });

  it("goes stale when the environment's policy changes; an unchanged policy changes nothing", async () => {
    const { request } = await f.openRequest("production");
    const same = await upsertGatePolicy(f.ctxOf(f.admin), {
      environmentName: "production",
      policy: { requiredApprovals: 2, rules: [...SCHEMA_ONLY_RULES] },
    });
    expect(same.staleRequestIds).toEqual([]);
    const changed = await upsertGatePolicy(f.ctxOf(f.admin), {
      environmentName: "production",
      policy: { requiredApprovals: 3, rules: [...SCHEMA_ONLY_RULES] },
    });
    expect(changed.staleRequestIds).toContain(request.id);
    expect(await stateOf(request.id)).toBe("stale");
    await upsertGatePolicy(f.ctxOf(f.admin), {
      environmentName: "production",
      policy: { requiredApprovals: 2, rules: [...SCHEMA_ONLY_RULES] },
    });
  });

  it("refuses a policy that loosens the role matrix", async () => {
    await expectRefusal(
      upsertGatePolicy(f.ctxOf(f.admin), {
        environmentName: "production",
        policy: { requiredApprovals: 0 },
      }),
      "invalid_policy",
      "BAD_REQUEST",
    );
  });
});

describe("protected aliases", () => {
  it("refuses direct moves of protected aliases; an admin's break-glass needs a reason", async () => {
    const version = await f.candidate();
    const move = (who: Member, alias: string, breakGlassReason?: string) =>
      moveAlias(f.ctxOf(who), {
        modelId: f.model.id,
        alias,
        versionId: version.id,
        ...(breakGlassReason === undefined ? {} : { breakGlassReason }),
      });
    await expectRefusal(move(f.approver, "production"), "protected_alias", "FORBIDDEN");
    await expectRefusal(move(f.admin, "production"), "protected_alias", "FORBIDDEN");
    await expectRefusal(move(f.approver, "production", "urgent"), "break_glass_requires_admin");
    await expectRefusal(move(f.admin, "production", " "), "break_glass_reason_required");
    const moved = await move(f.admin, "production", "rollback after incident 7");
    expect(moved).toMatchObject({ via: "break_glass", flagged: true });
    const champion = await move(f.engineer, "champion");
    expect(champion).toMatchObject({ via: "direct", flagged: false });
  });
});

describe("outbox and audit", () => {
  it("writes the outbox rows in the same transaction: a failed change leaves none", async () => {
    const { version, request } = await f.openRequest("production");
    const before = await f.db.select().from(outboxEvents);
    await expect(
      postEvaluation(f.ctxOf(f.engineer), {
        versionId: version.id,
        // Passes validation, then overflows the integer column after the invalidation ran.
        evaluation: {
          kind: "holdout",
          outcome: "pass",
          metrics: [{ metric: "auc", value: 0.8, n: 3_000_000_000 }],
        },
      }),
    ).rejects.toThrow();
    expect(await f.db.select().from(outboxEvents)).toHaveLength(before.length);
    expect(await stateOf(request.id)).toBe("awaiting_approval");
    await postEvaluation(f.ctxOf(f.engineer), {
      versionId: version.id,
      evaluation: { kind: "holdout", outcome: "pass" },
    });
    const known = new Set(before.map((e) => e.id));
    const added = (await f.db.select().from(outboxEvents).orderBy(outboxEvents.createdAt)).filter(
      (e) => !known.has(e.id),
    );
    expect(added.map((e) => e.eventType)).toEqual([
      "promotion.stale",
      "promotion.notification",
      "promotion.notification",
      "evaluation.posted",
    ]);
  });

  it("verifies the audit chain after the flows, and detects a tampered row", async () => {
    const verified = await verifyAuditChain(database.db, f.project.id, { full: true });
    expect(verified.ok).toBe(true);
    const viaRouter = await f.caller(f.admin).audit.verify({ projectSlug: f.project.slug });
    expect(viaRouter.ok).toBe(true);
    const listed = await f.caller(f.approver).audit.list({
      projectSlug: f.project.slug,
      action: "promotion.",
      limit: 5,
    });
    expect(listed.rows).toHaveLength(5);
    expect(listed.nextCursor).not.toBeNull();
    const [target] = await database.sql<{ chain_seq: string }[]>`
      select chain_seq from audit_log
      where action = 'promotion.approved' and project_id = ${f.project.id}
      order by chain_seq limit 1`;
    await database.sql`alter table audit_log disable trigger audit_log_append_only`;
    await database.sql`update audit_log set reason = 'forged'
      where project_id = ${f.project.id} and chain_seq = ${target!.chain_seq}`;
    await database.sql`alter table audit_log enable trigger audit_log_append_only`;
    const tampered = await f
      .caller(f.admin)
      .audit.verify({ projectSlug: f.project.slug, full: true });
    expect(tampered).toMatchObject({
      ok: false,
      brokenAt: { chainSeq: Number(target!.chain_seq), problem: "hash_mismatch" },
    });
  });
});
