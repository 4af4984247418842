import "server-only";

import { cookies } from "next/headers";
import { cache } from "react";

import { createCaller, createInnerContext, type RouterOutputs } from "@plumbline/api";
import { auth } from "@plumbline/auth/next";
import { getDatabase } from "@plumbline/db/client";

export const PROJECT_COOKIE = "plumbline.project";

export type Me = RouterOutputs["me"]["get"];
export type ViewerProject = Me["projects"][number];

/** A tRPC caller for server components, acting as the signed-in user (or nobody). */
export const getServerCaller = cache(async () => {
  const session = await auth();
  const userId = session?.user?.id ?? null;
  return { userId, caller: createCaller(createInnerContext({ db: getDatabase().db, userId })) };
});

export interface Viewer {
  me: Me;
  /** The project the dashboard shows: the one chosen in the switcher, else the first. */
  project: ViewerProject | null;
}

/**
 * Who is looking, and at which project. Null when nobody is signed in (or the account is gone).
 * Cached per request, so the layout and the page share one lookup.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const { userId, caller } = await getServerCaller();
  if (!userId) return null;
  let me: Me;
  try {
    me = await caller.me.get();
  } catch (error) {
    if ((error as { code?: string }).code === "UNAUTHORIZED") return null;
    throw error;
  }
  const chosen = (await cookies()).get(PROJECT_COOKIE)?.value;
  const project = me.projects.find((p) => p.slug === chosen) ?? me.projects[0] ?? null;
  return { me, project };
});
