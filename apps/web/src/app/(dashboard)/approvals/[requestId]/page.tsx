import type { Metadata } from "next";

import { getViewer } from "~/server/viewer";

import { PromotionEvidence } from "./promotion-evidence";

export const metadata: Metadata = { title: "Promotion request" };

interface Props {
  params: Promise<{ requestId: string }>;
}

export default async function PromotionRequestPage({ params }: Props) {
  const { requestId } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <PromotionEvidence
      projectSlug={project.slug}
      requestId={requestId}
      userId={viewer.me.user.id}
      permissions={project.permissions}
    />
  );
}
