import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

import type { Role } from "@plumbline/governance";
import {
  createEnvironment,
  createMember,
  createModel,
  createProject,
  testArtifactDigest,
} from "@plumbline/db/factories";
import type { TestDatabase } from "@plumbline/db/testing";

import { createCaller, createInnerContext } from "../src";
import { requestPromotion } from "../src/services/promotions/request-promotion";
import { upsertGatePolicy } from "../src/services/promotions/gate-policies";
import { postEvaluation } from "../src/services/registry/evaluations";
import { registerVersion } from "../src/services/registry/models";
import type { ServiceContext } from "../src/services/service-context";
import { ServiceError } from "../src/services/service-error";

export interface Member {
  id: string;
  role: Role;
}

/** Only the schema-validation gate, so that tests control the outcome with one evaluation. */
export const SCHEMA_ONLY_RULES = [
  { id: "schema-validation", kind: "evaluation_outcome", evaluationKind: "schema_validation" },
] as const;

/**
 * A project with members of every role (five approvers, two admins), `development`, `staging`
 * (one approval, ml_engineers allowed) and `production` (two approvals) environments, and a
 * model; plus helpers that register candidates and open requests through the real services.
 */
export async function createGovernanceFixture(database: TestDatabase) {
  const { db } = database;
  const project = await createProject(db, { slug: `gov-${randomUUID().slice(0, 8)}` });
  const member = async (role: Role): Promise<Member> => ({
    id: (await createMember(db, { projectId: project.id, role })).id,
    role,
  });
  const viewer = await member("viewer");
  const engineer = await member("ml_engineer");
  const engineer2 = await member("ml_engineer");
  const approvers = [];
  for (let index = 0; index < 5; index += 1) approvers.push(await member("approver"));
  const admin = await member("admin");
  const admin2 = await member("admin");
  for (const name of ["development", "staging", "production"]) {
    await createEnvironment(db, { projectId: project.id, name });
  }
  const model = await createModel(db, { projectId: project.id, createdBy: engineer.id });

  const ctxOf = (who: Member, extra: Partial<ServiceContext> = {}): ServiceContext => ({
    db,
    projectId: project.id,
    actor: { type: "user", id: who.id, role: who.role },
    ...extra,
  });
  await upsertGatePolicy(ctxOf(admin), {
    environmentName: "development",
    policy: { requiredApprovals: 0, rules: [...SCHEMA_ONLY_RULES] },
  });
  await upsertGatePolicy(ctxOf(admin), {
    environmentName: "staging",
    policy: { requiredApprovals: 1, rules: [...SCHEMA_ONLY_RULES], allowMlEngineerApproval: true },
  });
  await upsertGatePolicy(ctxOf(admin), {
    environmentName: "production",
    policy: { requiredApprovals: 2, rules: [...SCHEMA_ONLY_RULES] },
  });

  let counter = 0;
  /** A ready version registered by `creator`, with a schema-validation evaluation. */
  const candidate = async (creator: Member = engineer, outcome: "pass" | "fail" = "pass") => {
    counter += 1;
    const version = await registerVersion(ctxOf(creator), {
      modelId: model.id,
      version: `${counter}-${randomUUID().slice(0, 6)}`,
      artifactUri: `s3://models/${counter}`,
      artifactDigest: testArtifactDigest(randomUUID()),
    });
    await postEvaluation(ctxOf(creator), {
      versionId: version.id,
      evaluation: { kind: "schema_validation", outcome },
    });
    return version;
  };

  /** A request for a fresh candidate, gates run (awaiting approval unless the policy says). */
  const openRequest = async (
    environmentName = "production",
    requester: Member = engineer,
    creator: Member = requester,
  ) => {
    const version = await candidate(creator);
    const request = await requestPromotion(ctxOf(requester), {
      modelVersionId: version.id,
      environmentName,
      justification: "better AUC on the 2026 holdout",
    });
    return { version, request };
  };

  const caller = (who: Member | null) =>
    createCaller(createInnerContext({ db, userId: who?.id ?? null }));

  return {
    db,
    project,
    model,
    viewer,
    engineer,
    engineer2,
    approvers,
    approver: approvers[0]!,
    admin,
    admin2,
    ctxOf,
    candidate,
    openRequest,
    caller,
  };
}

export type GovernanceFixture = Awaited<ReturnType<typeof createGovernanceFixture>>;

/** A service refusal with this reason (and, when given, this code). */
export async function expectRefusal(
  promise: Promise<unknown>,
  reason: string,
  code?: ServiceError["code"],
) {
  await expect(promise).rejects.toSatisfy((error: unknown) => {
    if (!(error instanceof ServiceError)) throw error;
    return error.reason === reason && (code === undefined || error.code === code);
  });
}

/** The TRPCError a call is refused with, for assertions on its code and message. */
export async function caughtTrpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof TRPCError && error.code === code,
  );
}
