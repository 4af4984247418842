import { TRPCError } from "@trpc/server";
import { ChevronRight, Radar } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";

import { formatTask } from "~/components/format/numbers";
import { Badge } from "~/components/ui/badge";
import { buttonClassName } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { readWebEnv } from "~/env";
import { getServerCaller, getViewer } from "~/server/viewer";

import { ModelDashboard } from "./model-dashboard";

interface Props {
  params: Promise<{ modelSlug: string }>;
}

const loadModel = cache(async (modelSlug: string) => {
  const viewer = await getViewer();
  if (!viewer?.project) return null;
  const { caller } = await getServerCaller();
  try {
    const projectSlug = viewer.project.slug;
    const [found, aliases] = await Promise.all([
      caller.models.get({ projectSlug, modelSlug }),
      caller.registry.aliases({ projectSlug, modelSlug }),
    ]);
    return { ...found, aliases, permissions: viewer.project.permissions };
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
  const { model, versions, project, aliases, permissions } = found;
  // Labels follow the registry: a version is called what its aliases say, nothing guessed.
  const aliasesOf = (version: string) =>
    aliases.filter((alias) => alias.version === version).map((alias) => alias.name);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 flex items-center gap-1 text-xs text-ink-faint">
        <Link href="/models" className="hover:text-ink">
          Models
        </Link>
        <ChevronRight className="size-3" aria-hidden />
        <span className="text-ink-muted">{model.name}</span>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-4">
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
                  {aliasesOf(version.version).map((alias) => (
                    <span key={alias} className="font-sans text-accent-strong">
                      {alias}
                    </span>
                  ))}
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
        <Link
          href={`/models/${encodeURIComponent(model.slug)}/monitors`}
          className={buttonClassName({ variant: "secondary" })}
          data-testid="model-monitors-link"
        >
          <Radar className="size-3.5" aria-hidden />
          Monitors
        </Link>
      </header>

      <Suspense fallback={<Skeleton className="h-96 w-full" />}>
        <ModelDashboard
          projectSlug={project.slug}
          modelSlug={model.slug}
          task={model.task}
          versions={[...versions].reverse().map((version) => version.version)}
          ingestUrl={readWebEnv().PLUMBLINE_INGEST_URL}
          canWriteReferences={permissions.includes("reference.write")}
        />
      </Suspense>

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
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell className="px-5">Version</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Aliases</TableHeaderCell>
                <TableHeaderCell>Description</TableHeaderCell>
                <TableHeaderCell numeric className="px-5">
                  Registered
                </TableHeaderCell>
              </TableRow>
            </TableHead>
            <tbody>
              {versions.map((version) => (
                <TableRow key={version.version}>
                  <TableCell className="px-5 font-mono text-xs font-medium">
                    <Link
                      href={`/registry/${model.slug}/${encodeURIComponent(version.version)}`}
                      className="text-accent-strong hover:underline"
                    >
                      v{version.version}
                    </Link>
                  </TableCell>
                  <TableCell>
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
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      {aliasesOf(version.version).map((alias) => (
                        <Badge key={alias} tone="accent">
                          {alias}
                        </Badge>
                      ))}
                    </span>
                  </TableCell>
                  <TableCell className="text-ink-muted">{version.description || "—"}</TableCell>
                  <TableCell numeric className="px-5 text-ink-muted">
                    {registered.format(version.createdAt)}
                  </TableCell>
                </TableRow>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
