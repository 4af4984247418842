import { initTRPC, TRPCError, type AnyProcedure, type AnyRouter } from "@trpc/server";
import { eq } from "drizzle-orm";
import superjson from "superjson";
import { z, ZodError, ZodType } from "zod";

import {
  findUnstorableString,
  formatInputPath,
  UNSTORABLE_STRING_MESSAGES,
} from "@plumbline/contracts";
import { loadUserAccess, roleInProject, type UserAccess } from "@plumbline/auth/access";
import { roleHasPermission, type Permission, type Role } from "@plumbline/auth/permissions";
import type { Database } from "@plumbline/db/client";
import { projects } from "@plumbline/db/schema";

import type { ServiceContext } from "./services/service-context";
import { ServiceError } from "./services/service-error";

/**
 * The inner context holds what procedures need and nothing from Next.js, so router tests can
 * build it directly (`createCaller(createInnerContext({ db, userId }))`).
 */
export interface InnerContext {
  db: Database;
  /** The signed-in user's id from the session, or null. Roles are loaded per request. */
  userId: string | null;
  /** The server-side session of the request, when it comes from a browser. */
  sessionId?: string | null;
  requestId?: string;
  ip?: string | null;
}

export function createInnerContext(input: InnerContext): InnerContext {
  return input;
}

const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  // Subscriptions stream over server-sent events (dashboard.live). The ping keeps proxies from
  // closing a quiet stream; the client reconnects (sending lastEventId) if pings stop.
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        /** The stable cause of a service refusal, e.g. `self_approval_requester`. */
        reason: error.cause instanceof ServiceError ? error.cause.reason : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Services throw transport-neutral {@link ServiceError}s; here they become tRPC errors. */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/**
 * Refuses, before any resolver or database sees it, an input holding a string that cannot be
 * stored as given (a NUL, a lone surrogate), anywhere in it, keys included. Zod's `string()`
 * accepts both, and PostgreSQL would answer them with an error that surfaces as a 500.
 */
const rejectUnstorableStrings = t.middleware(async ({ getRawInput, next }) => {
  const found = findUnstorableString(await getRawInput());
  if (found) {
    const field = formatInputPath(found.path);
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${field}: ${UNSTORABLE_STRING_MESSAGES[found.problem]}.`,
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapServiceErrors).use(rejectUnstorableStrings);

/** Every procedure's input parsers by path, registered once the app router exists. */
const inputParsersByPath = new Map<string, readonly unknown[]>();

export function registerInputParsers(router: AnyRouter): void {
  for (const [path, procedure] of Object.entries(
    router._def.procedures as Record<string, AnyProcedure>,
  )) {
    inputParsersByPath.set(path, procedure._def.inputs);
  }
}

/**
 * Parses the whole input before any database work (loading the caller's roles, finding the
 * project): input that the procedure would refuse anyway costs nothing, and a flood of it cannot
 * load the database. It only refuses, with the same BAD_REQUEST (and zod details) the
 * procedure's own parse gives; that parse still produces the typed input afterwards.
 */
const refuseInvalidInput = t.middleware(async ({ path, getRawInput, next }) => {
  const parsers = inputParsersByPath.get(path) ?? [];
  if (parsers.length > 0) {
    const rawInput = await getRawInput();
    for (const parser of parsers) {
      if (!(parser instanceof ZodType)) continue;
      const result = await parser.safeParseAsync(rawInput);
      if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", cause: result.error });
    }
  }
  return next();
});

/** A signed-in, enabled user; their role bindings are read from the database now. */
export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
    return next({ ctx: { ...ctx, userId: ctx.userId } });
  })
  .use(refuseInvalidInput)
  .use(async ({ ctx, next }) => {
    const access = await loadUserAccess(ctx.db, ctx.userId);
    if (!access) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "This account no longer exists." });
    }
    return next({ ctx: { ...ctx, access } });
  });

const projectInput = z.object({ projectSlug: z.string().min(1).max(128) });

/**
 * A procedure about one project, allowed only to roles that hold `permission` there (org-wide
 * bindings count). The input must carry `projectSlug`; the resolved project is in ctx.
 */
export function permissionProcedure(permission: Permission) {
  return protectedProcedure.input(projectInput).use(async ({ ctx, input, next }) => {
    // A one-time password (a fresh install's first admin) opens only the change-password
    // page: nothing else happens on the strength of a password someone else may have seen.
    if (ctx.access.mustChangePassword) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: "Replace your one-time password first (Account → Change password).",
      });
    }
    const project = await ctx.db.query.projects.findFirst({
      where: eq(projects.slug, input.projectSlug),
    });
    const role = project ? roleInProject(ctx.access, project.id) : null;
    // A project the user has no role in is reported as missing, not as forbidden.
    if (!project || !role) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No project "${input.projectSlug}".` });
    }
    if (!roleHasPermission(role, permission)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Your role (${role}) may not do this: it needs the "${permission}" permission.`,
      });
    }
    return next({ ctx: { ...ctx, project, role } });
  });
}

/** The context a governance service needs, for the signed-in user acting in `ctx.project`. */
export function serviceContextOf(ctx: {
  db: Database;
  userId: string;
  role: Role;
  project: { id: string };
  requestId?: string;
  ip?: string | null;
}): ServiceContext {
  return {
    db: ctx.db,
    projectId: ctx.project.id,
    actor: { type: "user", id: ctx.userId, role: ctx.role },
    requestId: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  };
}

export type ProtectedContext = InnerContext & { userId: string; access: UserAccess };
