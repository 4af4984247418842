import type { Metadata } from "next";
import { Suspense } from "react";

import { PageHeader } from "~/components/page-header";
import { Skeleton } from "~/components/ui/skeleton";
import { getViewer } from "~/server/viewer";

import { AlertsInbox } from "./alerts-inbox";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Alerts"
        description="What the monitors found: alerts that fired and are still open, newest first. Open one to see its timeline, the drifting features and what changed around it."
      />
      {/* The filters live in the URL, read on the client. */}
      <Suspense fallback={<Skeleton className="h-64 w-full" />}>
        <AlertsInbox projectSlug={project.slug} userId={viewer.me.user.id} />
      </Suspense>
    </>
  );
}
