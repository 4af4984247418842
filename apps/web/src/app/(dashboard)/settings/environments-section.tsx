"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Check, ChevronDown, Layers, Lock, Plus } from "lucide-react";
import { Fragment, useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { Badge } from "~/components/ui/badge";
import { CardHeader } from "~/components/ui/card";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";
import { Button } from "~/components/ui/button";

import { CreateEnvironmentForm, type CreatedEnvironment } from "./create-environment-form";
import { APPROVER_ROLE_LABELS, ENVIRONMENT_KIND_LABELS, formatHours } from "./gate-rule-text";
import { PolicyDetails } from "./policy-details";
import { PolicyForm, type SavedPolicy } from "./policy-form";

type EnvironmentRow = RouterOutputs["registry"]["environments"][number];

const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

const COLUMNS = 7;

/**
 * The project's environments and each one's promotion policy. Everyone reads them; admins add
 * environments (`environment.manage`); approvers and admins edit policies (`policy.manage`).
 */
export function EnvironmentsSection({
  projectSlug,
  canManageEnvironments,
  canManagePolicies,
}: {
  projectSlug: string;
  canManageEnvironments: boolean;
  canManagePolicies: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedEnvironment | null>(null);

  const onCreated = async (environment: CreatedEnvironment) => {
    setCreating(false);
    setCreated(environment);
    await queryClient.invalidateQueries({
      queryKey: trpc.registry.environments.queryKey({ projectSlug }),
    });
  };

  return (
    <>
      <CardHeader
        title="Environments and promotion policies"
        description={
          canManagePolicies
            ? "Each environment's policy decides the gates a promotion must pass and who approves it. Every change is audited."
            : "Each environment's policy decides the gates a promotion must pass and who approves it. Approvers and admins edit policies."
        }
        actions={
          canManageEnvironments && !creating ? (
            <Button
              icon={<Plus className="size-3.5" aria-hidden />}
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
              data-testid="environment-create-open"
            >
              Add environment
            </Button>
          ) : null
        }
      />
      {creating ? (
        <CreateEnvironmentForm
          projectSlug={projectSlug}
          onCreated={onCreated}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? (
        <p
          className="flex items-center gap-2 border-b border-line bg-emerald-50/60 px-5 py-2.5 text-[13px] text-emerald-800"
          role="status"
          data-testid="environment-created"
        >
          <Check className="size-4 shrink-0" aria-hidden />
          <span>
            Added <span className="font-mono font-medium">{created.name}</span> with the{" "}
            {ENVIRONMENT_KIND_LABELS[created.kind].toLowerCase()} defaults
            {canManagePolicies ? "; edit its policy below." : "."}
          </span>
        </p>
      ) : null}
      <EnvironmentsTable projectSlug={projectSlug} canManagePolicies={canManagePolicies} />
    </>
  );
}

function EnvironmentsTable({
  projectSlug,
  canManagePolicies,
}: {
  projectSlug: string;
  canManagePolicies: boolean;
}) {
  const trpc = useTRPC();
  const environments = useQuery(trpc.registry.environments.queryOptions({ projectSlug }));
  if (environments.isPending) {
    return (
      <div className="space-y-3 px-5 py-5" aria-busy="true">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    );
  }
  if (environments.isError) {
    return (
      <div className="p-4">
        <QueryError error={environments.error} onRetry={() => environments.refetch()} />
      </div>
    );
  }
  if (environments.data.length === 0) {
    return (
      <div className="flex items-start gap-3 px-5 py-5" data-testid="environments-empty">
        <Layers className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
        <p className="text-[13px] leading-relaxed text-ink-muted">
          No environments yet. A promotion targets an environment, such as staging or production;
          admins add them here.
        </p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[13px]" data-testid="environments-table">
        <thead className="text-[11px] whitespace-nowrap uppercase tracking-wider text-ink-faint">
          <tr className="border-b border-line">
            <th className="px-5 py-2.5 font-medium">Environment</th>
            <th className="px-3 py-2.5 font-medium">Approvals</th>
            <th className="px-3 py-2.5 font-medium">Expiry</th>
            <th className="px-3 py-2.5 font-medium">Model card</th>
            <th className="px-3 py-2.5 font-medium">Gates</th>
            <th className="px-3 py-2.5 font-medium">Policy</th>
            <th className="w-40 px-5 py-2.5 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {environments.data.map((environment) => (
            <EnvironmentRows
              key={environment.id}
              environment={environment}
              projectSlug={projectSlug}
              canManagePolicies={canManagePolicies}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EnvironmentRows({
  environment,
  projectSlug,
  canManagePolicies,
}: {
  environment: EnvironmentRow;
  projectSlug: string;
  canManagePolicies: boolean;
}) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<"closed" | "view" | "edit">("closed");
  const [saved, setSaved] = useState<SavedPolicy | null>(null);
  const policy = useQuery(
    trpc.promotions.policy.queryOptions({ projectSlug, environment: environment.name }),
  );
  const panelId = `policy-${environment.id}`;
  const open = mode !== "closed";
  const data = policy.data?.policy;
  const cell = "px-3 py-3 text-xs text-ink-muted";

  return (
    <Fragment>
      <tr
        className={clsx("border-b border-line align-top", open && "bg-canvas/60")}
        data-testid="environment-row"
        data-environment={environment.name}
      >
        <td className="px-5 py-3">
          <div className="flex items-center gap-2">
            <span className="font-mono font-medium text-ink">{environment.name}</span>
            {environment.protected ? (
              <Badge tone="accent">
                <Lock className="size-2.5" aria-hidden />
                Protected
              </Badge>
            ) : null}
          </div>
          <div className="mt-0.5 text-xs text-ink-muted">
            {ENVIRONMENT_KIND_LABELS[environment.kind]}
          </div>
        </td>
        {policy.isPending ? (
          <td className="px-3 py-3" colSpan={5} aria-busy="true">
            <Skeleton className="h-4 w-3/4" />
          </td>
        ) : policy.isError || !data ? (
          <td className="px-3 py-3 text-xs text-danger" colSpan={5}>
            Could not load the policy: {policy.error?.message ?? "no data"}
          </td>
        ) : (
          <>
            <td className="px-3 py-3 text-xs text-ink" data-testid="environment-approvals">
              {data.requiredApprovals === 0 ? (
                <span className="text-ink-muted">Automatic</span>
              ) : (
                <>
                  <span className="font-medium tabular-nums">{data.requiredApprovals}</span>
                  <div className="mt-0.5 whitespace-nowrap text-ink-muted">
                    by {data.approverRoles.map((role) => APPROVER_ROLE_LABELS[role]).join(" or ")}
                  </div>
                </>
              )}
            </td>
            <td className={clsx(cell, "whitespace-nowrap tabular-nums")}>
              {formatHours(data.approvalTtlHours)}
            </td>
            <td className={cell}>
              {data.modelCardRequired ? <span className="text-ink">Required</span> : "–"}
            </td>
            <td className={clsx(cell, "whitespace-nowrap")}>
              {data.rules.length} {data.rules.length === 1 ? "rule" : "rules"}
            </td>
            <td className={clsx(cell, "whitespace-nowrap")} data-testid="environment-policy-source">
              {environment.policyUpdatedAt ? (
                <span className="text-ink">
                  Updated {dateOnly.format(environment.policyUpdatedAt)}
                </span>
              ) : (
                <Badge>Defaults</Badge>
              )}
            </td>
          </>
        )}
        <td className="px-5 py-3 text-right">
          <div className="inline-flex gap-1.5">
            {canManagePolicies && mode !== "edit" ? (
              <Button
                data-testid="policy-edit"
                onClick={() => {
                  setSaved(null);
                  setMode("edit");
                }}
                aria-label={`Edit the policy of ${environment.name}`}
                disabled={!data}
                variant="secondary"
                size="sm"
              >
                Edit
              </Button>
            ) : null}
            <Button
              data-testid="policy-toggle"
              aria-expanded={open}
              aria-controls={open ? panelId : undefined}
              aria-label={`${open ? "Hide" : "Show"} the policy of ${environment.name}`}
              onClick={() => setMode(open ? "closed" : "view")}
              variant="secondary"
              size="sm"
            >
              {open ? "Hide" : "Details"}
              <ChevronDown
                className={clsx(
                  "size-3.5 text-ink-faint transition-transform",
                  open && "rotate-180",
                )}
                aria-hidden
              />
            </Button>
          </div>
        </td>
      </tr>
      {open ? (
        <tr className="border-b border-line bg-canvas/60" data-testid="environment-policy-panel">
          <td id={panelId} colSpan={COLUMNS} className="px-5 pt-1 pb-5">
            <h3 className="mb-3 text-xs font-semibold text-ink">
              {mode === "edit" ? "Edit the promotion policy of " : "Promotion policy of "}
              <span className="font-mono">{environment.name}</span>
            </h3>
            {saved && mode === "view" ? (
              <p
                className="mb-4 flex items-start gap-2 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800"
                role="status"
                data-testid="policy-saved"
              >
                <Check className="mt-px size-4 shrink-0" aria-hidden />
                <span>
                  Policy saved.{" "}
                  {saved.staleRequestIds.length === 0
                    ? "No open request was affected."
                    : `${saved.staleRequestIds.length} open ${
                        saved.staleRequestIds.length === 1 ? "request is" : "requests are"
                      } now stale and must be requested again.`}
                </span>
              </p>
            ) : null}
            {!data ? (
              <Skeleton className="h-24 w-full" />
            ) : mode === "edit" ? (
              <PolicyForm
                projectSlug={projectSlug}
                environment={environment}
                policy={data}
                onSaved={(result) => {
                  setSaved(result);
                  setMode("view");
                }}
                onCancel={() => setMode("view")}
              />
            ) : (
              <PolicyDetails policy={data} />
            )}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
