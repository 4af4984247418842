"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Badge } from "~/components/ui/badge";
import { Card, CardHeader } from "~/components/ui/card";
import { formatDateTime } from "~/components/format/time";
import { LineageGraph } from "~/components/governance/lineage-graph";
import { PageHeader } from "~/components/page-header";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { ModelCardPanel } from "./model-card-panel";
import { ModelSchemaPanel } from "./model-schema-panel";
import { VersionPromotions } from "./version-promotions";
import { RequestPromotionForm } from "./request-promotion-form";

interface Props {
  projectSlug: string;
  modelSlug: string;
  version: string;
  canRequest: boolean;
  canEditCard: boolean;
  canApproveCard: boolean;
  canRegister: boolean;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 border-b border-line px-5 py-2.5 text-[13px] last:border-b-0">
      <dt className="text-ink-faint">{label}</dt>
      <dd className="min-w-0 break-all text-ink">{children}</dd>
    </div>
  );
}

export function VersionDetails({
  projectSlug,
  modelSlug,
  version,
  canRequest,
  canEditCard,
  canApproveCard,
  canRegister,
}: Props) {
  const trpc = useTRPC();
  const details = useQuery(trpc.registry.version.queryOptions({ projectSlug, modelSlug, version }));
  const lineage = useQuery(trpc.registry.lineage.queryOptions({ projectSlug, modelSlug, version }));
  const aliases = useQuery(trpc.registry.aliases.queryOptions({ projectSlug, modelSlug }));

  if (details.isPending) return <Skeleton className="h-64 w-full" />;
  if (details.isError) {
    return <QueryError error={details.error} onRetry={() => details.refetch()} />;
  }
  const { model, version: row, evaluations } = details.data;
  const pointing = (aliases.data ?? []).filter((alias) => alias.modelVersionId === row.id);
  const datasets = (lineage.data?.edges ?? []).filter((edge) => edge.role);
  const labelOf = new Map((lineage.data?.nodes ?? []).map((node) => [node.id, node.label]));

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/registry" className="hover:text-ink">
            Registry
          </Link>
        }
        title={
          <span className="flex items-center gap-2">
            {model.name} <span className="font-mono text-base text-ink-muted">v{row.version}</span>
          </span>
        }
        description={row.description ?? undefined}
        actions={
          <div className="flex gap-1.5">
            {pointing.map((alias) => (
              <Badge key={alias.id} tone={alias.name === "production" ? "success" : "accent"}>
                @{alias.name}
              </Badge>
            ))}
            <Badge tone={row.status === "ready" ? "success" : "neutral"}>{row.status}</Badge>
          </div>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-4">
          <Card>
            <CardHeader title="Version" />
            <dl>
              <Field label="Artifact">
                <span className="font-mono text-xs">{row.artifactUri ?? "–"}</span>
              </Field>
              <Field label="Digest">
                <span className="font-mono text-xs">{row.artifactDigest ?? "–"}</span>
              </Field>
              <Field label="Framework">{row.framework ?? "–"}</Field>
              <Field label="Code">
                {row.codeCommit ? (
                  <span className="font-mono text-xs">
                    {row.codeRepo} @ {row.codeCommit.slice(0, 12)}
                    {row.codeDirty ? " (dirty)" : ""}
                  </span>
                ) : (
                  "–"
                )}
              </Field>
              <Field label="Datasets">
                {datasets.length === 0
                  ? "–"
                  : datasets.map((edge) => (
                      <div key={edge.from}>
                        <span className="text-ink-faint">{edge.role}: </span>
                        {labelOf.get(edge.from) ?? edge.from}
                      </div>
                    ))}
              </Field>
              <Field label="Metrics">
                {Object.keys(row.metrics ?? {}).length === 0
                  ? "–"
                  : Object.entries(row.metrics ?? {}).map(([name, value]) => (
                      <span key={name} className="mr-3 tabular-nums">
                        <span className="text-ink-faint">{name}</span> {String(value)}
                      </span>
                    ))}
              </Field>
              <Field label="Tags">
                {Object.keys(row.tags ?? {}).length === 0
                  ? "–"
                  : Object.entries(row.tags ?? {}).map(([name, value]) => (
                      <Badge key={name} className="mr-1">
                        {name}={String(value)}
                      </Badge>
                    ))}
              </Field>
              <Field label="Registered">{formatDateTime(row.createdAt)}</Field>
            </dl>
          </Card>
          <ModelSchemaPanel
            projectSlug={projectSlug}
            modelSlug={modelSlug}
            version={version}
            featureSchema={model.featureSchema}
            modelClassLabels={model.classLabels}
            classLabels={row.classLabels}
            versionEditable={row.status === "registering" && row.readyAt === null}
            canEdit={canRegister}
          />
          <Card>
            <CardHeader
              title="Lineage"
              description="Datasets → model version → aliases → prediction stream"
            />
            <div className="px-5 py-4">
              {lineage.data ? (
                <LineageGraph lineage={lineage.data} />
              ) : lineage.isError ? (
                <p className="text-xs text-ink-muted">{lineage.error.message}</p>
              ) : (
                <Skeleton className="h-24 w-full" />
              )}
            </div>
          </Card>
          <Card>
            <CardHeader title="Evaluations" />
            {evaluations.length === 0 ? (
              <p className="px-5 py-4 text-[13px] text-ink-muted">No evaluations posted.</p>
            ) : (
              <ul>
                {evaluations.map((evaluation) => (
                  <li
                    key={evaluation.id}
                    className="border-b border-line px-5 py-3 last:border-b-0"
                  >
                    <div className="flex items-center gap-2 text-[13px]">
                      <span className="font-medium text-ink">{evaluation.kind}</span>
                      <Badge tone={evaluation.outcome === "pass" ? "success" : "danger"}>
                        {evaluation.outcome}
                      </Badge>
                      <span className="ml-auto text-xs text-ink-faint">
                        {formatDateTime(evaluation.createdAt)}
                      </span>
                    </div>
                    {evaluation.metrics.length > 0 ? (
                      <p className="mt-1 text-xs text-ink-muted tabular-nums">
                        {evaluation.metrics
                          .map((metric) => `${metric.metric} ${metric.value.toFixed(3)}`)
                          .join(" · ")}
                      </p>
                    ) : null}
                    {evaluation.groups.length > 0 ? (
                      <p className="mt-1 text-xs text-ink-muted">
                        {evaluation.groups.length} groups evaluated
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <ModelCardPanel
            projectSlug={projectSlug}
            modelSlug={modelSlug}
            version={version}
            modelName={model.name}
            canEdit={canEditCard}
            canApprove={canApproveCard}
          />
        </div>
        <div className="space-y-4">
          {canRequest && row.status === "ready" ? (
            <RequestPromotionForm
              projectSlug={projectSlug}
              modelSlug={modelSlug}
              version={version}
            />
          ) : null}
          <VersionPromotions projectSlug={projectSlug} modelVersionId={row.id} />
          <Card>
            <CardHeader title="Aliases" description="Names that serve this version now." />
            <div className="px-5 py-3 text-[13px]" data-testid="version-aliases">
              {pointing.length === 0 ? (
                <p className="text-ink-muted">No alias points at this version.</p>
              ) : (
                <ul className="space-y-1.5">
                  {pointing.map((alias) => (
                    <li key={alias.id} className="flex items-center justify-between gap-2">
                      <span className="font-medium text-ink">@{alias.name}</span>
                      <span className="text-xs text-ink-faint">
                        since {formatDateTime(alias.updatedAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </Card>
        </div>
      </div>
    </>
  );
}
