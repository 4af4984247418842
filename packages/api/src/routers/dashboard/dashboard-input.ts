import { z } from "zod";

import { DashboardWindowInput } from "@plumbline/contracts";

/**
 * The model-page input of the dashboard and drift routers: the shared window input plus the
 * project (every procedure is about one project, see permissionProcedure).
 */
export const dashboardWindowInput = DashboardWindowInput.extend({
  projectSlug: z.string().min(1).max(128),
});
