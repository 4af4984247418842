import { and, eq, inArray, sql } from "drizzle-orm";

import {
  artifactDigestSchema,
  layoutLineage,
  type LineageEdge,
  type LineageNode,
  type LineageNodeKind,
} from "@plumbline/governance";
import type { DatabaseOrTransaction, Transaction } from "@plumbline/db/client";
import {
  datasets,
  datasetVersions,
  lineageEdges,
  modelAliases,
  models,
  modelVersions,
  type DatasetColumn,
} from "@plumbline/db/schema";

import { userIdOf, writeAudit, type ServiceContext } from "../service-context";
import { notFound, ServiceError } from "../service-error";
import { isUniqueViolation, lockSubject, withRetryingTransaction } from "../transactions";

export interface VersionDatasetInput {
  datasetVersionId: string;
  role: "train" | "validation" | "holdout";
}

export interface RegisterDatasetVersionInput {
  datasetName: string;
  version: string;
  digest: string;
  uri?: string;
  dvcPath?: string | null;
  dvcMd5?: string | null;
  rowCount?: number | null;
  split?: "train" | "validation" | "holdout" | "full" | "other";
  schema?: DatasetColumn[];
  description?: string;
}

/** Registers a dataset version (creating the dataset on first use), content-addressed. */
export async function registerDatasetVersion(
  ctx: ServiceContext,
  input: RegisterDatasetVersionInput,
) {
  const digest = artifactDigestSchema.safeParse(input.digest.trim().toLowerCase());
  if (!digest.success) {
    throw new ServiceError("BAD_REQUEST", "invalid_digest", "A dataset digest is sha256:<64 hex>.");
  }
  try {
    return await withRetryingTransaction(ctx.db, async (tx) => {
      await tx
        .insert(datasets)
        .values({
          projectId: ctx.projectId,
          name: input.datasetName,
          description: input.description ?? "",
        })
        .onConflictDoNothing();
      const [dataset] = await tx
        .select()
        .from(datasets)
        .where(and(eq(datasets.projectId, ctx.projectId), eq(datasets.name, input.datasetName)));
      const [version] = await tx
        .insert(datasetVersions)
        .values({
          datasetId: dataset!.id,
          version: input.version,
          digest: digest.data,
          uri: input.uri ?? "",
          dvcPath: input.dvcPath ?? null,
          dvcMd5: input.dvcMd5 ?? null,
          rowCount: input.rowCount ?? null,
          split: input.split ?? "full",
          schema: input.schema ?? [],
          createdBy: userIdOf(ctx.actor),
        })
        .returning();
      await writeAudit(tx, ctx, {
        action: "dataset_version.registered",
        resourceType: "dataset_version",
        resourceId: version!.id,
        after: { ...input, digest: digest.data },
      });
      return { dataset: dataset!, version: version! };
    });
  } catch (error) {
    if (isUniqueViolation(error, "dataset_versions_dataset_version_key")) {
      throw new ServiceError(
        "CONFLICT",
        "dataset_version_exists",
        `${input.datasetName} ${input.version} already exists.`,
      );
    }
    throw error;
  }
}

/** Adds dataset -> version edges (train / validation / holdout), checking the project. */
export async function linkVersionDatasets(
  tx: Transaction,
  ctx: ServiceContext,
  modelVersionId: string,
  inputs: readonly VersionDatasetInput[],
) {
  if (inputs.length === 0) return;
  const ids = [...new Set(inputs.map((input) => input.datasetVersionId))];
  const found = await tx
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(and(inArray(datasetVersions.id, ids), eq(datasets.projectId, ctx.projectId)));
  if (found.length !== ids.length) throw notFound("dataset version");
  await tx.insert(lineageEdges).values(
    inputs.map((input) => ({
      projectId: ctx.projectId,
      fromKind: "dataset_version" as const,
      fromId: input.datasetVersionId,
      toKind: "model_version" as const,
      toId: modelVersionId,
      role: input.role,
    })),
  );
}

/**
 * Replaces a version's datasets while it is still `registering`; a ready version's lineage is as
 * immutable as its artifact.
 */
export async function setVersionDatasets(
  ctx: ServiceContext,
  input: { versionId: string; datasets: VersionDatasetInput[] },
) {
  return withRetryingTransaction(ctx.db, async (tx) => {
    await lockSubject(tx, "model_version", input.versionId);
    const [version] = await tx
      .select({ id: modelVersions.id, status: modelVersions.status })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(modelVersions.id, input.versionId), eq(models.projectId, ctx.projectId)));
    if (!version) throw notFound("model version");
    if (version.status !== "registering") {
      throw new ServiceError(
        "CONFLICT",
        "version_immutable",
        `The version is ${version.status}; its lineage no longer changes.`,
      );
    }
    await tx
      .delete(lineageEdges)
      .where(
        and(
          eq(lineageEdges.toKind, "model_version"),
          eq(lineageEdges.toId, version.id),
          eq(lineageEdges.fromKind, "dataset_version"),
        ),
      );
    await linkVersionDatasets(tx, ctx, version.id, input.datasets);
    await writeAudit(tx, ctx, {
      action: "model_version.lineage_set",
      resourceType: "model_version",
      resourceId: version.id,
      after: { datasets: input.datasets },
    });
  });
}

/** A version's datasets with their role and digest (for the card and the evidence page). */
export async function versionDatasets(db: DatabaseOrTransaction, modelVersionId: string) {
  return db
    .select({
      datasetVersionId: datasetVersions.id,
      name: datasets.name,
      version: datasetVersions.version,
      role: lineageEdges.role,
      digest: datasetVersions.digest,
      uri: datasetVersions.uri,
      rowCount: datasetVersions.rowCount,
    })
    .from(lineageEdges)
    .innerJoin(datasetVersions, sql`${datasetVersions.id}::text = ${lineageEdges.fromId}`)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .where(
      and(
        eq(lineageEdges.fromKind, "dataset_version"),
        eq(lineageEdges.toKind, "model_version"),
        eq(lineageEdges.toId, modelVersionId),
      ),
    );
}

interface EdgeRow extends Record<string, unknown> {
  from_kind: LineageNodeKind;
  from_id: string;
  to_kind: LineageNodeKind;
  to_id: string;
  role: "train" | "validation" | "holdout" | null;
}

/**
 * The lineage graph around a version: everything upstream (datasets) and downstream (aliases,
 * deployments, prediction streams), walked with two recursive queries over `lineage_edges`
 * (registry tables only), labelled and laid out left to right for the UI.
 */
export async function getLineageGraph(
  db: DatabaseOrTransaction,
  projectId: string,
  modelVersionId: string,
) {
  const rows = await db.execute<EdgeRow>(sql`
    with recursive
    downstream(kind, id) as (
      select 'model_version'::lineage_node_kind, ${modelVersionId}::text
      union
      select e.to_kind, e.to_id from lineage_edges e
      join downstream d on e.from_kind = d.kind and e.from_id = d.id
      where e.project_id = ${projectId}
    ),
    upstream(kind, id) as (
      select 'model_version'::lineage_node_kind, ${modelVersionId}::text
      union
      select e.from_kind, e.from_id from lineage_edges e
      join upstream u on e.to_kind = u.kind and e.to_id = u.id
      where e.project_id = ${projectId}
    )
    select e.from_kind, e.from_id, e.to_kind, e.to_id, e.role
    from lineage_edges e
    where e.project_id = ${projectId}
      and (
        ((e.from_kind, e.from_id) in (select kind, id from downstream)
          and (e.to_kind, e.to_id) in (select kind, id from downstream))
        or ((e.from_kind, e.from_id) in (select kind, id from upstream)
          and (e.to_kind, e.to_id) in (select kind, id from upstream))
      )
    order by e.from_kind, e.from_id, e.to_kind, e.to_id`);
  const key = (kind: LineageNodeKind, id: string) => `${kind}:${id}`;
  const nodeIds = new Map<string, { kind: LineageNodeKind; id: string }>();
  nodeIds.set(key("model_version", modelVersionId), { kind: "model_version", id: modelVersionId });
  const edges: LineageEdge[] = [];
  for (const row of rows) {
    nodeIds.set(key(row.from_kind, row.from_id), { kind: row.from_kind, id: row.from_id });
    nodeIds.set(key(row.to_kind, row.to_id), { kind: row.to_kind, id: row.to_id });
    edges.push({
      from: key(row.from_kind, row.from_id),
      to: key(row.to_kind, row.to_id),
      ...(row.role === null ? {} : { role: row.role }),
    });
  }
  const labels = await labelNodes(db, [...nodeIds.values()]);
  const nodes: LineageNode[] = [...nodeIds.entries()].map(([id, node]) => ({
    id,
    kind: node.kind,
    label: labels.get(id) ?? node.id,
  }));
  return { nodes, edges, layout: layoutLineage(nodes, edges) };
}

async function labelNodes(
  db: DatabaseOrTransaction,
  nodes: { kind: LineageNodeKind; id: string }[],
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const idsOf = (kind: LineageNodeKind) => nodes.filter((n) => n.kind === kind).map((n) => n.id);
  const versionIds = idsOf("model_version");
  if (versionIds.length > 0) {
    const rows = await db
      .select({ id: modelVersions.id, slug: models.slug, version: modelVersions.version })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(inArray(modelVersions.id, versionIds));
    for (const row of rows) labels.set(`model_version:${row.id}`, `${row.slug} v${row.version}`);
  }
  const datasetIds = idsOf("dataset_version");
  if (datasetIds.length > 0) {
    const rows = await db
      .select({ id: datasetVersions.id, name: datasets.name, version: datasetVersions.version })
      .from(datasetVersions)
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
      .where(inArray(datasetVersions.id, datasetIds));
    for (const row of rows) labels.set(`dataset_version:${row.id}`, `${row.name}@${row.version}`);
  }
  const aliasIds = idsOf("alias");
  if (aliasIds.length > 0) {
    const rows = await db
      .select({ id: modelAliases.id, name: modelAliases.name })
      .from(modelAliases)
      .where(inArray(modelAliases.id, aliasIds));
    for (const row of rows) labels.set(`alias:${row.id}`, `@${row.name}`);
  }
  for (const id of idsOf("prediction_stream")) {
    labels.set(`prediction_stream:${id}`, `predictions v${id.split(":").at(-1) ?? ""}`);
  }
  return labels;
}
