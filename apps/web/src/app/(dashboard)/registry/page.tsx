import type { Metadata } from "next";

import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { RegistryList } from "./registry-list";

export const metadata: Metadata = { title: "Registry" };

export default async function RegistryPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Registry"
        description="Every registered version, where its aliases point, and its status. Open a version for its lineage, evaluations and model card."
      />
      <RegistryList projectSlug={project.slug} />
    </>
  );
}
