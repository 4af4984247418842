import type { SqlClient } from "@plumbline/db/client";
import type { FastifyInstance } from "fastify";

import { checkReadiness } from "../services/operations/check-readiness";

export function registerHealthRoutes(app: FastifyInstance, sql: SqlClient) {
  /** Liveness: the process answers. Never touches the database, so a DB outage cannot restart it. */
  app.get("/healthz", () => ({ status: "ok" }));

  /** Readiness: the database answers, so a load balancer only sends traffic that can be stored. */
  app.get("/readyz", async (_request, reply) => {
    const readiness = await checkReadiness(sql);
    if (readiness.ready) return { status: "ready" };
    return reply.code(503).send({ status: "unavailable", reason: readiness.reason });
  });
}
