import type { Metadata } from "next";

import { getViewer } from "~/server/viewer";

import { VersionDetails } from "./version-details";

interface Props {
  params: Promise<{ modelSlug: string; version: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { modelSlug, version } = await params;
  return { title: `${modelSlug} v${decodeURIComponent(version)}` };
}

export default async function VersionPage({ params }: Props) {
  const { modelSlug, version } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!project) return null;
  return (
    <VersionDetails
      projectSlug={project.slug}
      modelSlug={modelSlug}
      version={decodeURIComponent(version)}
      canRequest={project.permissions.includes("promotion.request")}
      canEditCard={project.permissions.includes("card.edit")}
      canApproveCard={project.permissions.includes("card.approve")}
      canRegister={project.permissions.includes("model.register")}
    />
  );
}
