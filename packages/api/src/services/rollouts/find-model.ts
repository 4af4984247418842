import { and, eq } from "drizzle-orm";

import type { DatabaseOrTransaction } from "@plumbline/db/client";
import { models } from "@plumbline/db/schema";

import { notFound } from "../service-error";

export async function findModelBySlug(db: DatabaseOrTransaction, projectId: string, slug: string) {
  const [model] = await db
    .select({ id: models.id, slug: models.slug })
    .from(models)
    .where(and(eq(models.projectId, projectId), eq(models.slug, slug)));
  if (!model) throw notFound(`model "${slug}"`);
  return model;
}
