import { TRPCError } from "@trpc/server";
import { ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";

import { Badge } from "~/components/ui/badge";
import { Card, CardHeader } from "~/components/ui/card";
import { formatTask } from "~/components/format/numbers";
import { readWebEnv } from "~/env";
import { getServerCaller, getViewer } from "~/server/viewer";

import { LiveMetricsPanel } from "./live-metrics-panel";

interface Props {
  params: Promise<{ modelSlug: string }>;
}

const loadModel = cache(async (modelSlug: string) => {
  const viewer = await getViewer();
  if (!viewer?.project) return null;
  const { caller } = await getServerCaller();
  try {
    return await caller.models.get({ projectSlug: viewer.project.slug, modelSlug });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await loadModel((await params).modelSlug);
  return { title: found ? found.model.name : "Model not found" };
}

const registered = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

export default async function ModelPage({ params }: Props) {
  const { modelSlug } = await params;
  const found = await loadModel(modelSlug);
  if (!found) notFound();
  const { model, versions, project } = found;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 flex items-center gap-1 text-xs text-ink-faint">
        <Link href="/models" className="hover:text-ink">
          Models
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <span className="text-ink-muted">{model.name}</span>
      </nav>
      <header className="mb-8 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="text-xl font-semibold tracking-tight" data-testid="model-name">
              {model.name}
            </h1>
            <Badge>{formatTask(model.task)}</Badge>
          </div>
          <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-ink-faint">
            <span className="font-mono">
              {project.slug}/{model.slug}
            </span>
            <span aria-hidden>·</span>
            <span className="flex items-center gap-1.5" aria-label="Versions">
              {versions.length === 1 ? "1 version" : `${versions.length} versions`}
              {versions.map((version) => (
                <Badge key={version.version} className="font-mono">
                  v{version.version}
                </Badge>
              ))}
            </span>
          </div>
          {model.description ? (
            <p className="mt-3 max-w-2xl text-[13px] leading-relaxed text-ink-muted">
              {model.description}
            </p>
          ) : null}
        </div>
      </header>

      <LiveMetricsPanel
        projectSlug={project.slug}
        modelSlug={model.slug}
        ingestUrl={readWebEnv().PLUMBLINE_INGEST_URL}
      />

      <Card className="mt-6">
        <CardHeader
          title="Versions"
          description="Artifacts, lineage, evaluations and promotions of each version are in the registry."
        />
        {versions.length === 0 ? (
          <p className="px-5 py-6 text-[13px] text-ink-muted">
            No versions registered yet. A version appears here once it is registered.
          </p>
        ) : (
          <table className="w-full text-left text-[13px]">
            <thead className="text-[11px] uppercase tracking-wider text-ink-faint">
              <tr className="border-b border-line">
                <th className="px-5 py-2.5 font-medium">Version</th>
                <th className="px-5 py-2.5 font-medium">Status</th>
                <th className="px-5 py-2.5 font-medium">Description</th>
                <th className="px-5 py-2.5 text-right font-medium">Registered</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((version) => (
                <tr key={version.version} className="border-b border-line last:border-b-0">
                  <td className="px-5 py-3 font-mono text-xs font-medium">
                    <Link
                      href={`/registry/${model.slug}/${encodeURIComponent(version.version)}`}
                      className="text-accent-strong hover:underline"
                    >
                      v{version.version}
                    </Link>
                  </td>
                  <td className="px-5 py-3">
                    <Badge
                      tone={
                        version.status === "ready"
                          ? "success"
                          : version.status === "failed"
                            ? "danger"
                            : "neutral"
                      }
                    >
                      {version.status === "ready"
                        ? "Ready"
                        : version.status === "failed"
                          ? "Failed"
                          : "Registering"}
                    </Badge>
                  </td>
                  <td className="px-5 py-3 text-ink-muted">{version.description || "—"}</td>
                  <td className="px-5 py-3 text-right text-ink-muted tabular-nums">
                    {registered.format(version.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
