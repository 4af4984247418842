import { z } from "zod";

import { ClassLabels, MODEL_TASKS, ModelSchema, RISK_TIERS } from "@plumbline/contracts";
import { evaluationSchema } from "@plumbline/governance";

import { listAliases, moveAlias } from "../services/registry/aliases";
import { postEvaluation } from "../services/registry/evaluations";
import {
  getLineageGraph,
  registerDatasetVersion,
  setVersionDatasets,
} from "../services/registry/lineage";
import {
  completeVersionRegistration,
  findModel,
  findVersion,
  registerModel,
  registerVersion,
  reportArtifactDigest,
} from "../services/registry/models";
import {
  setAutoRegisterModels,
  setModelSchema,
  setVersionClassLabels,
} from "../services/registry/model-schema";
import { loadEvaluations } from "../services/promotions/gate-evidence";
import {
  createEnvironment,
  listEnvironments,
  setEnvironmentProtection,
} from "../services/promotions/environments";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const modelSlug = z.string().min(1).max(128);
const versionRef = z.object({ modelSlug, version: z.string().min(1).max(128) });
const datasetRole = z.enum(["train", "validation", "holdout"]);
const datasetLinks = z.array(z.object({ datasetVersionId: z.uuid(), role: datasetRole })).max(50);

/** Models, versions, datasets, lineage, evaluations, aliases and environments. */
export const registryRouter = createTRPCRouter({
  environments: permissionProcedure("dashboard.read").query(({ ctx }) =>
    listEnvironments(ctx.db, ctx.project.id),
  ),

  createEnvironment: permissionProcedure("environment.manage")
    .input(
      z.object({
        name: z.string().min(1).max(63),
        kind: z.enum(["development", "staging", "production"]),
        protected: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...environment } = input;
      return createEnvironment(serviceContextOf(ctx), environment);
    }),

  /** Admin only (`environment.manage`), audited with the reason. */
  setEnvironmentProtection: permissionProcedure("environment.manage")
    .input(
      z.object({
        environmentName: z.string().min(1).max(63),
        protected: z.boolean(),
        reason: z.string().max(2000),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...change } = input;
      return setEnvironmentProtection(serviceContextOf(ctx), change);
    }),

  registerModel: permissionProcedure("model.register")
    .input(
      z.object({
        slug: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/),
        name: z.string().min(1).max(200),
        description: z.string().max(5000).optional(),
        task: z.enum(MODEL_TASKS).optional(),
        owner: z.string().max(200).optional(),
        riskTier: z.enum(RISK_TIERS).nullable().optional(),
        sensitiveFeatures: z.array(z.string().min(1).max(128)).max(50).optional(),
        /** Features (names, types, positions) and the class labels versions start with. */
        schema: ModelSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...model } = input;
      return registerModel(serviceContextOf(ctx), model);
    }),

  /** Replaces the model's schema (features and default class labels); audited. */
  setModelSchema: permissionProcedure("model.register")
    .input(z.object({ modelSlug, schema: ModelSchema }))
    .mutation(async ({ ctx, input }) => {
      const model = await findModel(ctx.db, ctx.project.id, input.modelSlug);
      return setModelSchema(serviceContextOf(ctx), { modelId: model.id, schema: input.schema });
    }),

  /** A version's class labels, while it is registering; audited. */
  setVersionClassLabels: permissionProcedure("model.register")
    .input(versionRef.extend({ classLabels: ClassLabels.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return setVersionClassLabels(serviceContextOf(ctx), {
        versionId: version.id,
        classLabels: input.classLabels,
      });
    }),

  /** Whether ingest registers models it sees first in a CloudEvent (admins; audited). */
  setAutoRegisterModels: permissionProcedure("apikey.manage")
    .input(z.object({ enabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setAutoRegisterModels(serviceContextOf(ctx), { enabled: input.enabled }),
    ),

  registerVersion: permissionProcedure("model.register")
    .input(
      z.object({
        modelSlug,
        version: z.string().min(1).max(128),
        description: z.string().max(5000).optional(),
        artifactUri: z.string().min(1).max(2000),
        artifactDigest: z.string().max(100).nullable().optional(),
        framework: z.string().max(100).optional(),
        signature: z
          .object({
            inputs: z.array(z.object({ name: z.string(), type: z.string() })),
            outputs: z.array(z.object({ name: z.string(), type: z.string() })),
          })
          .nullable()
          .optional(),
        code: z
          .object({ repo: z.string().max(500), commit: z.string().max(64), dirty: z.boolean() })
          .nullable()
          .optional(),
        trainingConfig: z.record(z.string(), z.unknown()).nullable().optional(),
        metrics: z.record(z.string(), z.number().finite()).optional(),
        tags: z.record(z.string(), z.string().max(500)).optional(),
        datasets: datasetLinks.optional(),
        status: z.enum(["registering", "ready"]).optional(),
        classLabels: ClassLabels.nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { projectSlug: _, modelSlug: slug, ...version } = input;
      const model = await findModel(ctx.db, ctx.project.id, slug);
      return registerVersion(serviceContextOf(ctx), { ...version, modelId: model.id });
    }),

  completeVersion: permissionProcedure("model.register")
    .input(
      versionRef.extend({
        status: z.enum(["ready", "failed"]),
        artifactDigest: z.string().max(100).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return completeVersionRegistration(serviceContextOf(ctx), {
        versionId: version.id,
        status: input.status,
        ...(input.artifactDigest === undefined ? {} : { artifactDigest: input.artifactDigest }),
      });
    }),

  reportArtifactDigest: permissionProcedure("model.register")
    .input(versionRef.extend({ observedDigest: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return reportArtifactDigest(serviceContextOf(ctx), {
        versionId: version.id,
        observedDigest: input.observedDigest,
      });
    }),

  version: permissionProcedure("dashboard.read")
    .input(versionRef)
    .query(async ({ ctx, input }) => {
      const { model, version } = await findVersion(ctx.db, ctx.project.id, input);
      return { model, version, evaluations: await loadEvaluations(ctx.db, version.id) };
    }),

  registerDatasetVersion: permissionProcedure("model.register")
    .input(
      z.object({
        datasetName: z.string().min(1).max(200),
        version: z.string().min(1).max(128),
        digest: z.string().min(1).max(100),
        uri: z.string().max(2000).optional(),
        dvcPath: z.string().max(1000).nullable().optional(),
        dvcMd5: z.string().max(64).nullable().optional(),
        rowCount: z.number().int().nonnegative().nullable().optional(),
        split: z.enum(["train", "validation", "holdout", "full", "other"]).optional(),
        schema: z
          .array(z.object({ name: z.string(), type: z.string() }))
          .max(5000)
          .optional(),
        description: z.string().max(5000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { projectSlug: _, ...dataset } = input;
      return registerDatasetVersion(serviceContextOf(ctx), dataset);
    }),

  setVersionDatasets: permissionProcedure("model.register")
    .input(versionRef.extend({ datasets: datasetLinks }))
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      await setVersionDatasets(serviceContextOf(ctx), {
        versionId: version.id,
        datasets: input.datasets,
      });
      return { ok: true };
    }),

  lineage: permissionProcedure("dashboard.read")
    .input(versionRef)
    .query(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return getLineageGraph(ctx.db, ctx.project.id, version.id);
    }),

  postEvaluation: permissionProcedure("evaluation.write")
    .input(versionRef.extend({ evaluation: evaluationSchema }))
    .mutation(async ({ ctx, input }) => {
      const { version } = await findVersion(ctx.db, ctx.project.id, input);
      return postEvaluation(serviceContextOf(ctx), {
        versionId: version.id,
        evaluation: input.evaluation,
      });
    }),

  aliases: permissionProcedure("dashboard.read")
    .input(z.object({ modelSlug }))
    .query(async ({ ctx, input }) => {
      const model = await findModel(ctx.db, ctx.project.id, input.modelSlug);
      return listAliases(ctx.db, model.id);
    }),

  /** Protected aliases need an admin and a `breakGlassReason`; the service decides. */
  moveAlias: permissionProcedure("alias.move")
    .input(
      versionRef.extend({
        alias: z.string().min(1).max(63),
        breakGlassReason: z.string().max(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { model, version } = await findVersion(ctx.db, ctx.project.id, input);
      return moveAlias(serviceContextOf(ctx), {
        modelId: model.id,
        alias: input.alias,
        versionId: version.id,
        ...(input.breakGlassReason === undefined
          ? {}
          : { breakGlassReason: input.breakGlassReason }),
      });
    }),
});
