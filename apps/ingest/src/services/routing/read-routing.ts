import { createHash } from "node:crypto";

import type { SqlClient } from "@plumbline/db/client";
import { LIVE_DEPLOYMENT_STATES } from "@plumbline/db/schema";

/**
 * The traffic split a serving layer applies for one model in one environment: the version the
 * environment's alias serves (stable), and while a canary deployment is live, the candidate and
 * the percentage of traffic it gets. `weight` is 0 without a live canary and after an abort.
 */
export interface ModelRouting {
  model: string;
  environment: string;
  stableVersion: string | null;
  canaryVersion: string | null;
  weight: number;
  deploymentId: string | null;
  state: string | null;
}

interface RoutingRow {
  stable_version: string | null;
  deployment_id: string | null;
  state: string | null;
  weight: number | null;
  canary_version: string | null;
}

/**
 * One indexed read: the model by slug in the key's project, its alias, and its live deployment
 * to that environment (at most one: a partial unique index). Null when the model is unknown.
 */
export async function readModelRouting(
  sql: SqlClient,
  input: { projectId: string; modelSlug: string; environment: string },
): Promise<ModelRouting | null> {
  const rows = await sql<(RoutingRow & { model_id: string })[]>`
    select m.id as model_id, stable.version as stable_version, d.id as deployment_id,
      d.state::text as state, d.weight, canary.version as canary_version
    from models m
    left join model_aliases a on a.model_id = m.id and a.name = ${input.environment}
    left join model_versions stable on stable.id = a.model_version_id
    left join deployments d on d.model_id = m.id and d.target_alias = ${input.environment}
      and d.state::text in ${sql([...LIVE_DEPLOYMENT_STATES])}
    left join model_versions canary on canary.id = d.candidate_version_id
    where m.project_id = ${input.projectId} and m.slug = ${input.modelSlug}
    limit 1`;
  const row = rows[0];
  if (!row) return null;
  const live = row.deployment_id !== null;
  return {
    model: input.modelSlug,
    environment: input.environment,
    stableVersion: row.stable_version,
    canaryVersion: live ? row.canary_version : null,
    weight: live ? (row.weight ?? 0) : 0,
    deploymentId: row.deployment_id,
    state: row.state,
  };
}

/**
 * A strong ETag over the routing's content: the same split gives the same tag, so a serving
 * layer polling every second gets `304 Not Modified` with no body until something changes.
 */
export function routingEtag(routing: ModelRouting): string {
  const digest = createHash("sha256").update(JSON.stringify(routing)).digest("base64url");
  return `"${digest.slice(0, 27)}"`;
}

/** True when an `If-None-Match` header names `etag` (a list, `*`, and weak forms included). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}
