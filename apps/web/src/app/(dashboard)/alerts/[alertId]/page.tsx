import type { Metadata } from "next";

import { getViewer } from "~/server/viewer";

import { AlertDetail } from "./alert-detail";

export const metadata: Metadata = { title: "Alert" };

interface Props {
  params: Promise<{ alertId: string }>;
}

export default async function AlertPage({ params }: Props) {
  const { alertId } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <AlertDetail
      projectSlug={project.slug}
      alertId={alertId}
      userId={viewer.me.user.id}
      canAct={project.permissions.includes("alert.acknowledge")}
    />
  );
}
