"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus } from "lucide-react";
import { useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { Badge } from "~/components/ui/badge";
import { CardHeader } from "~/components/ui/card";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";
import { Button } from "~/components/ui/button";

import { CreateApiKeyForm, type CreatedApiKey } from "./create-api-key-form";
import { CreatedApiKeyCallout } from "./created-api-key-callout";

type ApiKeyRow = RouterOutputs["apiKeys"]["list"][number];

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

const STATUS = {
  active: { label: "Active", tone: "success" },
  revoked: { label: "Revoked", tone: "danger" },
  expired: { label: "Expired", tone: "canary" },
} as const;

/** The admin's view of the project's API keys: list, create (token shown once) and revoke. */
export function ApiKeysSection({
  projectSlug,
  ingestUrl,
}: {
  projectSlug: string;
  ingestUrl: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  // Shared with the create form's cache; names a real model in the callout's curl example.
  const projectModels = useQuery(
    trpc.models.list.queryOptions({ projectSlug }, { enabled: creating || created !== null }),
  );

  const refreshList = () =>
    queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ projectSlug }) });

  const onCreated = async (result: CreatedApiKey) => {
    setCreating(false);
    setCreated(result);
    await refreshList();
  };

  return (
    <>
      <CardHeader
        title="API keys"
        description="Inference services authenticate to the ingest API with a project key. Every key event is audited."
        actions={
          creating ? null : (
            <Button
              icon={<Plus className="size-3.5" aria-hidden />}
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
              data-testid="api-key-create-open"
            >
              Create key
            </Button>
          )
        }
      />
      {creating ? (
        <CreateApiKeyForm
          projectSlug={projectSlug}
          onCreated={onCreated}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? (
        <CreatedApiKeyCallout
          // A new key gets a fresh callout (and focus), never a stale copy state.
          key={created.key.id}
          created={created}
          ingestUrl={ingestUrl}
          exampleModelSlug={
            created.key.modelAllowList?.[0] ?? projectModels.data?.[0]?.slug ?? "your-model"
          }
          onDismiss={() => setCreated(null)}
        />
      ) : null}
      <ApiKeysTable projectSlug={projectSlug} onRevoked={refreshList} />
    </>
  );
}

function ApiKeysTable({
  projectSlug,
  onRevoked,
}: {
  projectSlug: string;
  onRevoked: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ projectSlug }));
  if (keys.isPending) {
    return (
      <div className="space-y-3 px-5 py-5" aria-busy="true">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    );
  }
  if (keys.isError) {
    return (
      <div className="p-4">
        <QueryError error={keys.error} onRetry={() => keys.refetch()} />
      </div>
    );
  }
  if (keys.data.length === 0) {
    return (
      <div className="flex items-start gap-3 px-5 py-5" data-testid="api-keys-empty">
        <KeyRound className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
        <p className="text-[13px] leading-relaxed text-ink-muted">
          No keys yet. Create one for each service that sends predictions or labels, so that you can
          revoke one without touching the others.
        </p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[13px]" data-testid="api-keys-table">
        <thead className="text-[11px] uppercase tracking-wider text-ink-faint">
          <tr className="border-b border-line">
            <th className="px-5 py-2.5 font-medium">Key</th>
            <th className="px-3 py-2.5 font-medium">Scopes</th>
            <th className="px-3 py-2.5 font-medium">Models</th>
            <th className="px-3 py-2.5 font-medium">Last used</th>
            <th className="px-3 py-2.5 font-medium">Expires</th>
            <th className="px-3 py-2.5 font-medium">Status</th>
            <th className="w-56 px-5 py-2.5 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.data.map((key) => (
            <ApiKeyTableRow
              key={key.id}
              apiKey={key}
              projectSlug={projectSlug}
              onRevoked={onRevoked}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ApiKeyTableRow({
  apiKey,
  projectSlug,
  onRevoked,
}: {
  apiKey: ApiKeyRow;
  projectSlug: string;
  onRevoked: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await onRevoked();
      },
    }),
  );
  const status = STATUS[apiKey.status];
  const inactive = apiKey.status !== "active";

  return (
    <tr
      className="border-b border-line align-top last:border-b-0"
      data-testid="api-key-row"
      data-key-id={apiKey.keyId}
    >
      <td className="px-5 py-3">
        <div className={inactive ? "font-medium text-ink-muted" : "font-medium text-ink"}>
          {apiKey.name}
        </div>
        <div className="mt-0.5 font-mono text-xs text-ink-muted" data-testid="api-key-prefix">
          {apiKey.prefix}
        </div>
        <div className="mt-0.5 text-[11px] whitespace-nowrap text-ink-faint">
          Created {dateOnly.format(apiKey.createdAt)}
          {apiKey.creatorName ? ` by ${apiKey.creatorName}` : ""}
        </div>
      </td>
      <td className="px-3 py-3">
        <div className="flex max-w-64 flex-wrap gap-1">
          {apiKey.scopes.map((scope) => (
            <Badge key={scope} className="font-mono">
              {scope}
            </Badge>
          ))}
        </div>
      </td>
      <td className="px-3 py-3">
        {apiKey.modelAllowList === null ? (
          <span className="text-xs text-ink-muted">All models</span>
        ) : (
          <div className="flex max-w-48 flex-wrap gap-1">
            {apiKey.modelAllowList.map((slug) => (
              <Badge key={slug} tone="accent" className="font-mono">
                {slug}
              </Badge>
            ))}
          </div>
        )}
      </td>
      <td className="px-3 py-3 text-xs whitespace-nowrap text-ink-muted tabular-nums">
        {apiKey.lastUsedAt ? dateTime.format(apiKey.lastUsedAt) : "Never"}
      </td>
      <td className="px-3 py-3 text-xs whitespace-nowrap text-ink-muted tabular-nums">
        {apiKey.expiresAt ? dateOnly.format(apiKey.expiresAt) : "Never"}
      </td>
      <td className="px-3 py-3">
        <Badge tone={status.tone} data-testid="api-key-status">
          {status.label}
        </Badge>
        {apiKey.revokedAt ? (
          <div className="mt-1 text-[11px] whitespace-nowrap text-ink-faint">
            {dateOnly.format(apiKey.revokedAt)}
          </div>
        ) : null}
      </td>
      <td className="px-5 py-3 text-right">
        {apiKey.status === "revoked" ? null : confirming ? (
          <div
            className="inline-flex flex-col items-end gap-1.5"
            role="group"
            aria-label={`Revoke ${apiKey.name}?`}
          >
            <span className="text-xs whitespace-nowrap text-ink">It stops working at once.</span>
            <div className="flex gap-1.5">
              <Button
                onClick={() => setConfirming(false)}
                // Focus lands on the safe choice; revoking takes a deliberate second step.
                autoFocus
                disabled={revoke.isPending}
                variant="secondary"
                size="sm"
              >
                Cancel
              </Button>
              <Button
                data-testid="api-key-revoke-confirm"
                onClick={() => revoke.mutate({ projectSlug, apiKeyId: apiKey.id })}
                pending={revoke.isPending}
                variant="danger"
                size="sm"
              >
                Revoke key
              </Button>
            </div>
            {revoke.isError ? (
              <p className="text-xs text-danger" role="alert">
                {revoke.error.message}
              </p>
            ) : null}
          </div>
        ) : (
          <button
            type="button"
            data-testid="api-key-revoke"
            onClick={() => setConfirming(true)}
            aria-label={`Revoke ${apiKey.name}`}
            className="inline-flex h-7 items-center rounded-md border border-line-strong bg-surface px-2.5 text-xs font-medium text-danger hover:border-red-300 hover:bg-danger-soft"
          >
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
