import type { Metadata } from "next";

import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { ModelsTable } from "./models-table";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Models"
        description="Every model of this project with its health over the last 24 hours: traffic, confidence, the worst drifting feature, data-quality problems and realised performance once labels arrive."
      />
      <ModelsTable projectSlug={project.slug} />
    </>
  );
}
