"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { ChevronRight, LoaderCircle, Plus, Webhook } from "lucide-react";
import Link from "next/link";
import { useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { CardHeader } from "~/components/ui/card";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";
import { Button } from "~/components/ui/button";

import { CreateWebhookForm, type CreatedWebhook } from "./create-webhook-form";
import { CreatedWebhookCallout } from "./created-webhook-callout";
import { WebhookEventBadges } from "./webhook-event-badges";
import { WebhookChannelBadge, WebhookDestination } from "./webhook-channel";

type WebhookRow = RouterOutputs["webhooks"]["list"][number];

const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

/** Webhook subscriptions (approvers and admins): list, add (secret shown once), pause, delete. */
export function WebhooksSection({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);

  const refreshList = () =>
    queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey({ projectSlug }) });

  const onCreated = async (result: CreatedWebhook) => {
    setCreating(false);
    setCreated(result);
    await refreshList();
  };

  return (
    <>
      <CardHeader
        title="Webhooks"
        description="Plumbline posts registry and promotion events to these URLs, signed with HMAC-SHA256 and retried until they are accepted. Every change is audited."
        actions={
          creating ? null : (
            <Button
              icon={<Plus className="size-3.5" aria-hidden />}
              onClick={() => {
                setCreated(null);
                setCreating(true);
              }}
              data-testid="webhook-create-open"
            >
              Add webhook
            </Button>
          )
        }
      />
      {creating ? (
        <CreateWebhookForm
          projectSlug={projectSlug}
          onCreated={onCreated}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? (
        <CreatedWebhookCallout
          // A new webhook gets a fresh callout (and focus), never a stale copy state.
          key={created.webhook.id}
          created={created}
          onDismiss={() => setCreated(null)}
        />
      ) : null}
      <WebhooksTable projectSlug={projectSlug} onChanged={refreshList} />
    </>
  );
}

function WebhooksTable({
  projectSlug,
  onChanged,
}: {
  projectSlug: string;
  onChanged: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const webhooks = useQuery(trpc.webhooks.list.queryOptions({ projectSlug }));
  if (webhooks.isPending) {
    return (
      <div className="space-y-3 px-5 py-5" aria-busy="true">
        {[0, 1].map((row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    );
  }
  if (webhooks.isError) {
    return (
      <div className="p-4">
        <QueryError error={webhooks.error} onRetry={() => webhooks.refetch()} />
      </div>
    );
  }
  if (webhooks.data.length === 0) {
    return (
      <div className="flex items-start gap-3 px-5 py-5" data-testid="webhooks-empty">
        <Webhook className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
        <p className="text-[13px] leading-relaxed text-ink-muted">
          No webhooks yet. Add one to tell a deploy bot, a chat channel or your CD pipeline when a
          promotion is approved, promoted or rolled back.
        </p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-[13px]" data-testid="webhooks-table">
        <thead className="text-[11px] whitespace-nowrap uppercase tracking-wider text-ink-faint">
          <tr className="border-b border-line">
            <th className="px-5 py-2.5 font-medium">Endpoint</th>
            <th className="px-3 py-2.5 font-medium">Events</th>
            <th className="px-3 py-2.5 font-medium">Delivering</th>
            <th className="px-3 py-2.5 font-medium">Created</th>
            <th className="w-56 px-5 py-2.5 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {webhooks.data.map((webhook) => (
            <WebhookTableRow
              key={webhook.id}
              webhook={webhook}
              projectSlug={projectSlug}
              onChanged={onChanged}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WebhookTableRow({
  webhook,
  projectSlug,
  onChanged,
}: {
  webhook: WebhookRow;
  projectSlug: string;
  onChanged: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const setActive = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: onChanged }));
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await onChanged();
      },
    }),
  );
  // While the change is in flight the switch already shows where it is going.
  const active = setActive.isPending
    ? (setActive.variables.active ?? webhook.active)
    : webhook.active;

  return (
    <tr
      className="border-b border-line align-top last:border-b-0"
      data-testid="webhook-row"
      data-webhook-id={webhook.id}
    >
      <td className="max-w-md min-w-64 px-5 py-3">
        <div
          className={clsx(
            "font-mono text-xs [overflow-wrap:anywhere]",
            webhook.active ? "text-ink" : "text-ink-muted",
          )}
          data-testid="webhook-url"
        >
          <span className="mr-1.5 align-middle">
            <WebhookChannelBadge channel={webhook.channel} />
          </span>
          <WebhookDestination channel={webhook.channel} url={webhook.url} />
        </div>
        {webhook.description ? (
          <div className="mt-0.5 text-xs text-ink-muted">{webhook.description}</div>
        ) : null}
      </td>
      <td className="px-3 py-3">
        <WebhookEventBadges eventTypes={webhook.eventTypes} />
      </td>
      <td className="px-3 py-3">
        <div className="flex items-center gap-2">
          <button
            type="button"
            role="switch"
            aria-checked={active}
            aria-label={`Deliver events to ${webhook.url}`}
            data-testid="webhook-active-toggle"
            disabled={setActive.isPending}
            onClick={() =>
              setActive.mutate({ projectSlug, webhookId: webhook.id, active: !webhook.active })
            }
            className={clsx(
              "relative inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full transition-colors disabled:cursor-wait",
              active ? "bg-accent" : "bg-zinc-300",
            )}
          >
            <span
              aria-hidden
              className={clsx(
                "inline-block size-4 rounded-full bg-white shadow-card transition-transform",
                active ? "translate-x-4.5" : "translate-x-0.5",
              )}
            />
          </button>
          <span
            className={clsx("text-xs", active ? "text-ink" : "text-ink-muted")}
            data-testid="webhook-status"
          >
            {active ? "Active" : "Paused"}
          </span>
          {setActive.isPending ? (
            <LoaderCircle className="size-3.5 animate-spin text-ink-faint" aria-label="Saving" />
          ) : null}
        </div>
        {setActive.isError ? (
          <p className="mt-1 text-xs text-danger" role="alert">
            {setActive.error.message}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 text-xs whitespace-nowrap text-ink-muted tabular-nums">
        {dateOnly.format(webhook.createdAt)}
      </td>
      <td className="px-5 py-3 text-right">
        {confirming ? (
          <div
            className="inline-flex flex-col items-end gap-1.5"
            role="group"
            aria-label={`Delete the webhook to ${webhook.url}?`}
          >
            <span className="text-xs whitespace-nowrap text-ink">
              Deliveries stop; its log is deleted.
            </span>
            <div className="flex gap-1.5">
              <Button
                onClick={() => setConfirming(false)}
                // Focus lands on the safe choice; deleting takes a deliberate second step.
                autoFocus
                disabled={remove.isPending}
                variant="secondary"
                size="sm"
              >
                Cancel
              </Button>
              <Button
                data-testid="webhook-delete-confirm"
                onClick={() => remove.mutate({ projectSlug, webhookId: webhook.id })}
                pending={remove.isPending}
                variant="danger"
                size="sm"
              >
                Delete webhook
              </Button>
            </div>
            {remove.isError ? (
              <p className="text-xs text-danger" role="alert">
                {remove.error.message}
              </p>
            ) : null}
          </div>
        ) : (
          <div className="inline-flex gap-1.5">
            <Link
              href={`/settings/webhooks/${webhook.id}`}
              data-testid="webhook-deliveries-link"
              className="inline-flex h-7 items-center gap-0.5 rounded-md border border-line-strong bg-surface pr-1.5 pl-2.5 text-xs font-medium whitespace-nowrap text-ink hover:bg-canvas"
            >
              Deliveries
              <ChevronRight className="size-3.5 text-ink-faint" aria-hidden />
            </Link>
            <button
              type="button"
              data-testid="webhook-delete"
              onClick={() => setConfirming(true)}
              aria-label={`Delete the webhook to ${webhook.url}`}
              className="inline-flex h-7 items-center rounded-md border border-line-strong bg-surface px-2.5 text-xs font-medium text-danger hover:border-red-300 hover:bg-danger-soft"
            >
              Delete
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
