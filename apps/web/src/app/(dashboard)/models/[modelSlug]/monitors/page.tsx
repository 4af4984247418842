import { ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { MonitorsManager } from "./monitors-manager";
import { RetrainingPolicyForm } from "./retraining-policy-form";

export const metadata: Metadata = { title: "Monitors" };

interface Props {
  params: Promise<{ modelSlug: string }>;
}

export default async function MonitorsPage({ params }: Props) {
  const { modelSlug } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 flex items-center gap-1 text-xs text-ink-faint">
        <Link href="/models" className="hover:text-ink">
          Models
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <Link href={`/models/${encodeURIComponent(modelSlug)}`} className="hover:text-ink">
          {modelSlug}
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <span className="text-ink-muted">Monitors</span>
      </nav>
      <PageHeader
        title="Monitors"
        description="What Plumbline watches on this model, when it alerts and who it tells. Preview a change over the last 7 days before saving it."
      />
      <MonitorsManager
        projectSlug={project.slug}
        modelSlug={modelSlug}
        userId={viewer.me.user.id}
        canWrite={project.permissions.includes("monitor.write")}
        canApproveMutes={project.permissions.includes("monitor.approve_mute")}
      />
      <RetrainingPolicyForm
        projectSlug={project.slug}
        modelSlug={modelSlug}
        canEdit={project.permissions.includes("retraining.trigger")}
      />
    </>
  );
}
