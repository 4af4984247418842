import type { Metadata } from "next";

import { getViewer } from "~/server/viewer";

import { RolloutDetail } from "./rollout-detail";

export const metadata: Metadata = { title: "Rollout" };

interface Props {
  params: Promise<{ deploymentId: string }>;
}

export default async function RolloutPage({ params }: Props) {
  const { deploymentId } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  const can = (permission: string) => project.permissions.includes(permission as never);
  return (
    <RolloutDetail
      projectSlug={project.slug}
      deploymentId={deploymentId}
      userId={viewer.me.user.id}
      permissions={{
        abort: can("deployment.abort"),
        resume: can("deployment.resume"),
        promote: can("deployment.promote"),
      }}
    />
  );
}
