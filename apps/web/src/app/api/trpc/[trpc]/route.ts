import { randomUUID } from "node:crypto";

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { appRouter, createInnerContext } from "@plumbline/api";
import { auth } from "@plumbline/auth/next";
import { getDatabase } from "@plumbline/db/client";
import { requestClientAddress } from "@plumbline/auth/client-address";
import { readAuthEnv } from "@plumbline/auth/env";

/**
 * The tRPC endpoint. Signed-out callers are not redirected: protected procedures answer
 * 401 JSON, and role checks answer 403 JSON, so scripts and tests see the real status.
 */
function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => {
      const session = await auth();
      return createInnerContext({
        db: getDatabase().db,
        userId: session?.user?.id ?? null,
        sessionId: session?.sessionId ?? null,
        requestId: request.headers.get("x-request-id") ?? randomUUID(),
        ip: requestClientAddress(request.headers, readAuthEnv().PLUMBLINE_TRUSTED_PROXIES),
      });
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`tRPC ${path ?? "<no path>"} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };
