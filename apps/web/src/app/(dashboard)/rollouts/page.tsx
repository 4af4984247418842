import type { Metadata } from "next";

import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { RolloutsList } from "./rollouts-list";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Rollouts"
        description="Canary deployments of approved promotions: the traffic each canary gets, what its analysis found, and whether it was promoted or rolled back."
      />
      <RolloutsList projectSlug={project.slug} />
    </>
  );
}
