import { z } from "zod";

import { StorableDate } from "@plumbline/contracts";

import { listAuditLog, verifyAuditLog } from "../services/audit/audit-log";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** The project's audit log (filtered, paged) and the verification of the hash chain. */
export const auditRouter = createTRPCRouter({
  list: permissionProcedure("audit.read")
    .input(
      z.object({
        action: z.string().max(200).optional(),
        resourceType: z.string().max(100).optional(),
        resourceId: z.string().max(200).optional(),
        actorId: z.string().max(200).optional(),
        from: StorableDate.optional(),
        to: StorableDate.optional(),
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(({ ctx, input }) => {
      const { projectSlug: _, ...filter } = input;
      return listAuditLog(ctx.db, ctx.project.id, filter);
    }),

  verify: permissionProcedure("audit.read")
    .input(z.object({ full: z.boolean().default(false) }))
    .query(({ ctx, input }) => verifyAuditLog(ctx.db, ctx.project.id, { full: input.full })),
});
