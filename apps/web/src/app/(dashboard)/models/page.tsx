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
        description="Every model that logs predictions to this project, with its traffic over the last hour."
      />
      <ModelsTable projectSlug={project.slug} />
    </>
  );
}
