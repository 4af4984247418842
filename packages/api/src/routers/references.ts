import { z } from "zod";

import { Deployment, ModelSlug, ModelVersion, StorableDate } from "@plumbline/contracts";
import { MAX_WINDOW_REFERENCE_ROWS } from "@plumbline/db/baselines";

import { createReferenceFromWindow } from "../services/references/create-reference-from-window";
import { listReferences } from "../services/references/list-references";
import {
  MAX_REFERENCE_UPLOAD_BYTES,
  referenceTooLargeMessage,
  uploadReference,
} from "../services/references/upload-reference";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

const windowReference = z
  .object({
    modelSlug: ModelSlug,
    version: ModelVersion,
    from: StorableDate,
    to: StorableDate,
    deployment: Deployment.optional(),
    maxRows: z.int().min(1).max(MAX_WINDOW_REFERENCE_ROWS).optional(),
  })
  .refine((input) => input.to > input.from, { message: "the window must end after it starts" });

const uploadedReference = z.object({
  modelSlug: ModelSlug,
  version: ModelVersion,
  format: z.enum(["csv", "json"]),
  // A character is at least one byte: this bounds the input before anything parses it; the
  // service checks the exact byte size.
  content: z
    .string()
    .min(1, { error: "The file is empty." })
    .max(MAX_REFERENCE_UPLOAD_BYTES, {
      error: (issue) =>
        referenceTooLargeMessage(typeof issue.input === "string" ? issue.input.length : 0),
    }),
});

/** Where each version's drift reference comes from, and the web app's two ways to make one. */
export const referencesRouter = createTRPCRouter({
  list: permissionProcedure("dashboard.read")
    .input(z.object({ modelSlug: ModelSlug }))
    .query(({ ctx, input }) => listReferences(ctx.db, ctx.project.id, input.modelSlug)),

  /** From the version's own production predictions in a time window (audited). */
  createFromWindow: permissionProcedure("reference.write")
    .input(windowReference)
    .mutation(({ ctx, input }) => createReferenceFromWindow(serviceContextOf(ctx), input)),

  /** From an uploaded CSV or JSON file (audited). */
  upload: permissionProcedure("reference.write")
    .input(uploadedReference)
    .mutation(({ ctx, input }) => uploadReference(serviceContextOf(ctx), input)),
});
