import { and, eq } from "drizzle-orm";

import type { Database } from "@plumbline/db/client";
import { models, type Model } from "@plumbline/db/schema";

import { notFound } from "../service-error";

export type DashboardModel = Pick<Model, "id" | "slug" | "name" | "task">;

/** The project's model with this slug; NOT_FOUND naming the slug when there is none. */
export async function findDashboardModel(
  db: Database,
  projectId: string,
  modelSlug: string,
): Promise<DashboardModel> {
  const model = await db.query.models.findFirst({
    where: and(eq(models.projectId, projectId), eq(models.slug, modelSlug)),
    columns: { id: true, slug: true, name: true, task: true },
  });
  if (!model) throw notFound(`model "${modelSlug}"`);
  return model;
}
