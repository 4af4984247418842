import { z } from "zod";

import { DashboardWindowInput } from "@plumbline/contracts";

/**
 * The model-page input: the shared window input plus the project (every procedure is about one
 * project, see permissionProcedure). Each tRPC input parser sees the whole input, so the strict
 * window schema must know `projectSlug` too.
 */
export const dashboardWindowInput = DashboardWindowInput.extend({
  projectSlug: z.string().min(1).max(128),
});
