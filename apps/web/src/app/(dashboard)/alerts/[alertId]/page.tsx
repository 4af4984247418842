import type { Metadata } from "next";

import { getViewer } from "~/server/viewer";

import { AlertDetail } from "./alert-detail";

export const metadata: Metadata = { title: "Alert" };

interface Props {
  params: Promise<{ alertId: string }>;
  searchParams: Promise<{ project?: string | string[] }>;
}

export default async function AlertPage({ params, searchParams }: Props) {
  const { alertId } = await params;
  const { project: linked } = await searchParams;
  const viewer = await getViewer();
  // Notification links name the alert's project (`?project=`), which may not be the one the
  // switcher last chose; only a project the user belongs to is taken.
  const project =
    viewer?.me.projects.find((candidate) => candidate.slug === linked) ?? viewer?.project;
  if (!viewer || !project) return null;
  return (
    <AlertDetail
      projectSlug={project.slug}
      alertId={alertId}
      userId={viewer.me.user.id}
      canAct={project.permissions.includes("alert.acknowledge")}
      canRetrain={project.permissions.includes("retraining.trigger")}
    />
  );
}
