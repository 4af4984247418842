import { ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";

import { PROFILE_TARGETS } from "@plumbline/contracts";

import { Skeleton } from "~/components/ui/skeleton";
import { getViewer } from "~/server/viewer";

import { FeatureDrillDown } from "./feature-drill-down";

interface Props {
  params: Promise<{ modelSlug: string; target: string; name: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Drift of ${decodeURIComponent(name)}` };
}

export default async function FeaturePage({ params }: Props) {
  const { modelSlug, target, name } = await params;
  const viewer = await getViewer();
  const profileTarget = PROFILE_TARGETS.find((candidate) => candidate === target);
  if (!viewer?.project || !profileTarget) notFound();
  const featureName = decodeURIComponent(name);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 flex items-center gap-1 text-xs text-ink-faint">
        <Link href="/models" className="hover:text-ink">
          Models
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <Link href={`/models/${modelSlug}`} className="hover:text-ink" data-testid="back-to-model">
          {modelSlug}
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <span className="text-ink-muted">{featureName}</span>
      </nav>
      <Suspense fallback={<Skeleton className="h-96 w-full" />}>
        <FeatureDrillDown
          projectSlug={viewer.project.slug}
          modelSlug={modelSlug}
          target={profileTarget}
          name={featureName}
        />
      </Suspense>
    </>
  );
}
