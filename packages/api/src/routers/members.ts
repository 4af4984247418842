import { z } from "zod";

import { roleEnum } from "@plumbline/db/schema";

import { listMembers, setMemberRole } from "../services/members/members";
import { createTRPCRouter, permissionProcedure, serviceContextOf } from "../trpc";

export const membersRouter = createTRPCRouter({
  /** Everyone with a role in the project, directly or org-wide. Admins only. */
  list: permissionProcedure("member.manage").query(({ ctx }) =>
    listMembers(ctx.db, ctx.project.id),
  ),

  /** Sets a member's role in this project; audited in the same transaction. Admins only. */
  setRole: permissionProcedure("member.manage")
    .input(z.object({ userId: z.uuid(), role: z.enum(roleEnum.enumValues) }))
    .mutation(({ ctx, input }) =>
      setMemberRole(serviceContextOf(ctx), { userId: input.userId, role: input.role }),
    ),
});
