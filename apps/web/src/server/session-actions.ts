"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { signOut } from "@plumbline/auth/next";

import { getViewer, PROJECT_COOKIE } from "./viewer";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}

/** Remembers the project the dashboard shows; only a project the user can see is accepted. */
export async function selectProjectAction(formData: FormData): Promise<void> {
  const slug = formData.get("project");
  const viewer = await getViewer();
  if (typeof slug !== "string" || !viewer?.me.projects.some((p) => p.slug === slug)) return;
  (await cookies()).set(PROJECT_COOKIE, slug, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  redirect("/models");
}
