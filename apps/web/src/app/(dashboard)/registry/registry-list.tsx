"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronRight, Library } from "lucide-react";
import Link from "next/link";

import { Badge } from "~/components/ui/badge";
import { Card, CardHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

const statusTone = { ready: "success", registering: "neutral", failed: "danger" } as const;

function ModelVersions({ projectSlug, modelSlug }: { projectSlug: string; modelSlug: string }) {
  const trpc = useTRPC();
  const model = useQuery(trpc.models.get.queryOptions({ projectSlug, modelSlug }));
  const aliases = useQuery(trpc.registry.aliases.queryOptions({ projectSlug, modelSlug }));
  if (model.isPending || aliases.isPending) return <Skeleton className="h-32 w-full" />;
  if (model.isError) return <QueryError error={model.error} />;
  if (aliases.isError) return <QueryError error={aliases.error} />;
  const versions = [...model.data.versions].reverse();
  return (
    <Card data-testid="registry-model" data-model-slug={modelSlug}>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            {model.data.model.name}
            <span className="font-mono text-[11px] font-normal text-ink-faint">{modelSlug}</span>
          </span>
        }
        description={model.data.model.description ?? undefined}
      />
      {versions.length === 0 ? (
        <p className="px-5 py-4 text-[13px] text-ink-muted">No versions registered yet.</p>
      ) : (
        <ul>
          {versions.map((version) => {
            const pointing = aliases.data.filter((alias) => alias.modelVersionId === version.id);
            return (
              <li key={version.id} className="border-b border-line last:border-b-0">
                <Link
                  href={`/registry/${modelSlug}/${version.version}`}
                  data-testid="registry-version-row"
                  data-version={version.version}
                  className="group grid grid-cols-[6rem_minmax(0,1fr)_6rem_10rem_1.25rem] items-center gap-4 px-5 py-3 transition-colors hover:bg-hover"
                >
                  <span className="font-mono text-[13px] font-medium text-ink">
                    v{version.version}
                  </span>
                  <span className="flex flex-wrap items-center gap-1.5">
                    {pointing.map((alias) => (
                      <Badge
                        key={alias.id}
                        tone={
                          alias.name === "production"
                            ? "success"
                            : alias.name === "staging"
                              ? "accent"
                              : "neutral"
                        }
                        data-testid={`alias-${alias.name}`}
                      >
                        @{alias.name}
                      </Badge>
                    ))}
                    {version.description ? (
                      <span className="truncate text-xs text-ink-muted">{version.description}</span>
                    ) : null}
                  </span>
                  <span>
                    <Badge tone={statusTone[version.status] ?? "neutral"}>{version.status}</Badge>
                  </span>
                  <span className="text-right text-xs text-ink-faint">
                    {formatDateTime(version.createdAt)}
                  </span>
                  <ChevronRight
                    className="size-4 text-ink-faint transition group-hover:translate-x-0.5"
                    aria-hidden
                  />
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

export function RegistryList({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions({ projectSlug }));
  if (models.isPending) return <Skeleton className="h-40 w-full" />;
  if (models.isError) return <QueryError error={models.error} onRetry={() => models.refetch()} />;
  if (models.data.length === 0) {
    return (
      <EmptyState icon={Library} title="Nothing is registered yet" testId="registry-empty">
        Register a model and its versions with the SDK or the API; they appear here with their
        aliases and promotions.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      {models.data.map((model) => (
        <ModelVersions key={model.id} projectSlug={projectSlug} modelSlug={model.slug} />
      ))}
    </div>
  );
}
