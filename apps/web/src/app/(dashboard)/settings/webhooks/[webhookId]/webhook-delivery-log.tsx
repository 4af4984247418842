"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Inbox, RotateCw, SearchX } from "lucide-react";
import Link from "next/link";

import type { RouterOutputs } from "@plumbline/api";

import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { WebhookEventBadges } from "../../webhook-event-badges";
import { WebhookChannelBadge, WebhookDestination } from "../../webhook-channel";

type Delivery = RouterOutputs["webhooks"]["deliveries"][number];

const STATUS = {
  pending: { label: "Pending", tone: "canary" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
} as const;

// While a delivery waits for its next attempt the log refreshes itself.
const PENDING_REFRESH_MS = 10_000;

/** One webhook's subscription details and its delivery log. */
export function WebhookDeliveryLog({
  projectSlug,
  webhookId,
}: {
  projectSlug: string;
  webhookId: string;
}) {
  const trpc = useTRPC();
  // The list is small and shared with the Settings page's cache.
  const webhooks = useQuery(trpc.webhooks.list.queryOptions({ projectSlug }));

  if (webhooks.isPending) {
    return (
      <Card className="space-y-3 px-5 py-5" aria-busy="true">
        <Skeleton className="h-5 w-80" />
        <Skeleton className="h-4 w-48" />
      </Card>
    );
  }
  if (webhooks.isError) {
    return <QueryError error={webhooks.error} onRetry={() => webhooks.refetch()} />;
  }
  const webhook = webhooks.data.find((candidate) => candidate.id === webhookId);
  if (!webhook) {
    return (
      <EmptyState
        icon={SearchX}
        title="This webhook does not exist"
        testId="webhook-not-found"
        action={
          <Link
            href="/settings"
            className="inline-flex h-8 items-center rounded-lg border border-line-strong px-3 text-[13px] font-medium hover:bg-canvas"
          >
            Back to settings
          </Link>
        }
      >
        It may have been deleted (its deliveries go with it), or it belongs to another project:
        switch projects in the sidebar.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-6">
      <Card>
        <dl className="grid gap-x-8 gap-y-3 px-5 py-4 text-[13px] sm:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_auto_auto]">
          <div className="min-w-0">
            <dt className="text-xs text-ink-faint">
              {webhook.channel === "email" ? "Recipients" : "Endpoint"}
            </dt>
            <dd
              className="mt-1 font-mono text-xs text-ink [overflow-wrap:anywhere]"
              data-testid="webhook-detail-url"
            >
              <span className="mr-1.5 align-middle" data-testid="webhook-detail-channel">
                <WebhookChannelBadge channel={webhook.channel} />
              </span>
              <WebhookDestination channel={webhook.channel} url={webhook.url} />
            </dd>
            {webhook.description ? (
              <dd className="mt-0.5 text-xs text-ink-muted">{webhook.description}</dd>
            ) : null}
          </div>
          <div className="min-w-0">
            <dt className="text-xs text-ink-faint">Events</dt>
            <dd className="mt-1">
              <WebhookEventBadges eventTypes={webhook.eventTypes} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-ink-faint">Status</dt>
            <dd className="mt-1">
              <Badge tone={webhook.active ? "success" : "neutral"}>
                {webhook.active ? "Active" : "Paused"}
              </Badge>
            </dd>
          </div>
          <div>
            <dt className="text-xs text-ink-faint">Created</dt>
            <dd className="mt-1 text-xs whitespace-nowrap text-ink-muted tabular-nums">
              {formatDateTime(webhook.createdAt)}
            </dd>
          </div>
        </dl>
      </Card>
      <DeliveriesCard projectSlug={projectSlug} webhookId={webhookId} active={webhook.active} />
    </div>
  );
}

function DeliveriesCard({
  projectSlug,
  webhookId,
  active,
}: {
  projectSlug: string;
  webhookId: string;
  active: boolean;
}) {
  const trpc = useTRPC();
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions(
      { projectSlug, webhookId },
      {
        refetchInterval: (query) =>
          query.state.data?.some((delivery) => delivery.status === "pending")
            ? PENDING_REFRESH_MS
            : false,
      },
    ),
  );

  return (
    <Card>
      <CardHeader
        title="Deliveries"
        description="The latest 100. Failed attempts are retried with backoff for about ten hours."
        actions={
          <Button
            onClick={() => deliveries.refetch()}
            data-testid="webhook-deliveries-refresh"
            disabled={deliveries.isFetching}
            variant="secondary"
          >
            <RotateCw
              className={clsx("size-3.5", deliveries.isFetching && "animate-spin")}
              aria-hidden
            />
            Refresh
          </Button>
        }
      />
      {deliveries.isPending ? (
        <div className="space-y-3 px-5 py-5" aria-busy="true">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} className="h-8 w-full" />
          ))}
        </div>
      ) : deliveries.isError ? (
        <div className="p-4">
          <QueryError error={deliveries.error} onRetry={() => deliveries.refetch()} />
        </div>
      ) : deliveries.data.length === 0 ? (
        <div className="flex items-start gap-3 px-5 py-5" data-testid="webhook-deliveries-empty">
          <Inbox className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
          <div className="text-[13px] leading-relaxed">
            <p className="font-medium text-ink">No deliveries yet</p>
            <p className="text-ink-muted">
              {active
                ? "A delivery appears here as soon as one of the subscribed events happens."
                : "This webhook is paused: events that happen while it is paused are not sent to it."}
            </p>
          </div>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-[13px]" data-testid="webhook-deliveries-table">
            <thead className="text-[11px] whitespace-nowrap uppercase tracking-wider text-ink-faint">
              <tr className="border-b border-line">
                <th className="px-5 py-2.5 font-medium">Time</th>
                <th className="px-3 py-2.5 font-medium">Event</th>
                <th className="px-3 py-2.5 font-medium">Status</th>
                <th className="px-3 py-2.5 text-right font-medium">Attempts</th>
                <th className="px-3 py-2.5 text-right font-medium">Response</th>
                <th className="px-3 py-2.5 font-medium">Next attempt</th>
                <th className="px-5 py-2.5 font-medium">Last error</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  fetchedAt={deliveries.dataUpdatedAt}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function DeliveryRow({
  delivery,
  fetchedAt,
}: {
  delivery: Delivery;
  /** When the log was read: a pending delivery due by then shows "Due now". */
  fetchedAt: number;
}) {
  const status = STATUS[delivery.status];
  const code = delivery.responseCode;
  return (
    <tr
      className="border-b border-line align-top last:border-b-0"
      data-testid="webhook-delivery-row"
      data-status={delivery.status}
      data-channel={delivery.channel}
    >
      <td className="px-5 py-3 text-xs whitespace-nowrap text-ink tabular-nums">
        {formatDateTime(delivery.createdAt)}
        {delivery.lastAttemptAt ? (
          <div className="mt-0.5 text-[11px] text-ink-faint">
            Last tried {formatDateTime(delivery.lastAttemptAt)}
          </div>
        ) : null}
      </td>
      <td className="px-3 py-3">
        <div className="font-mono text-xs text-ink" data-testid="webhook-delivery-event">
          {delivery.eventType}
        </div>
        {delivery.resourceId ? (
          <div
            className="mt-0.5 max-w-48 truncate font-mono text-[11px] text-ink-faint"
            title={delivery.resourceId}
          >
            {delivery.resourceId}
          </div>
        ) : null}
      </td>
      <td className="px-3 py-3">
        <Badge tone={status.tone} data-testid="webhook-delivery-status">
          {status.label}
        </Badge>
      </td>
      <td className="px-3 py-3 text-right text-xs text-ink tabular-nums">{delivery.attempts}</td>
      <td className="px-3 py-3 text-right font-mono text-xs tabular-nums">
        {code === null ? (
          <span className="text-ink-faint">–</span>
        ) : (
          <span className={code >= 200 && code < 300 ? "text-emerald-700" : "text-danger"}>
            {code}
          </span>
        )}
      </td>
      <td className="px-3 py-3 text-xs whitespace-nowrap text-ink-muted tabular-nums">
        {delivery.status !== "pending" || !delivery.nextAttemptAt
          ? "–"
          : new Date(delivery.nextAttemptAt).getTime() <= fetchedAt
            ? "Due now"
            : formatDateTime(delivery.nextAttemptAt)}
      </td>
      <td className="px-5 py-3 text-xs">
        {delivery.lastError ? (
          <p className="line-clamp-2 max-w-72 break-words text-danger" title={delivery.lastError}>
            {delivery.lastError}
          </p>
        ) : (
          <span className="text-ink-faint">–</span>
        )}
      </td>
    </tr>
  );
}
