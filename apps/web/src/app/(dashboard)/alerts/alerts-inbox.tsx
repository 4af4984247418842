"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { BellOff, ChevronRight } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId } from "react";

import type { AlertState, Severity } from "@plumbline/contracts";

import { formatAge, formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { controlClassName } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

import {
  AlertStateBadge,
  formatReading,
  levelFor,
  METRIC_LABELS,
  recordedThreshold,
  SeverityBadge,
} from "./alert-labels";

/** The state filter's choices: the default inbox, one state, or the resolved history. */
const STATE_FILTERS = {
  open: { label: "Open (fired)", states: undefined },
  firing: { label: "Firing", states: ["firing"] },
  acknowledged: { label: "Acknowledged", states: ["acknowledged"] },
  snoozed: { label: "Snoozed", states: ["snoozed"] },
  pending: { label: "Pending (not fired)", states: ["pending"] },
  resolved: { label: "Resolved", states: ["resolved"] },
} as const satisfies Record<string, { label: string; states: AlertState[] | undefined }>;
type StateFilter = keyof typeof STATE_FILTERS;

interface InboxFilters {
  model: string;
  severity: Severity | "";
  state: StateFilter;
  /** "", "me", "unassigned" or a user id. */
  owner: string;
}

function readFilters(params: URLSearchParams): InboxFilters {
  const severity = params.get("severity");
  const state = params.get("state");
  return {
    model: params.get("model") ?? "",
    severity: severity === "warning" || severity === "critical" ? severity : "",
    state: state && state in STATE_FILTERS ? (state as StateFilter) : "open",
    owner: params.get("owner") ?? "",
  };
}

function useInboxFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = readFilters(new URLSearchParams(params.toString()));
  const setFilter = (name: keyof InboxFilters, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value === "" || (name === "state" && value === "open")) next.delete(name);
    else next.set(name, value);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  return { filters, setFilter };
}

function FilterSelect({
  label,
  value,
  onChange,
  testId,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-ink-muted">
        {label}
      </label>
      <select
        id={id}
        data-testid={testId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        className={controlClassName({ size: "sm", block: false })}
      >
        {children}
      </select>
    </div>
  );
}

export function AlertsInbox({ projectSlug, userId }: { projectSlug: string; userId: string }) {
  const trpc = useTRPC();
  const { filters, setFilter } = useInboxFilters();
  const models = useQuery(trpc.models.list.queryOptions({ projectSlug }));
  const members = useQuery(trpc.alerts.assignees.queryOptions({ projectSlug }));
  const owner = filters.owner === "me" ? userId : filters.owner || undefined;
  const states: AlertState[] | undefined = STATE_FILTERS[filters.state].states;
  const input = {
    projectSlug,
    ...(filters.model ? { modelSlug: filters.model } : {}),
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(states ? { states: [...states] } : {}),
    ...(owner ? { owner } : {}),
    limit: 50,
  };
  const inbox = useInfiniteQuery(
    trpc.alerts.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
      refetchInterval: 30_000,
    }),
  );
  const filtered =
    Boolean(filters.model || filters.severity || filters.owner) || filters.state !== "open";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2" data-testid="alert-filters">
        <FilterSelect
          label="Model"
          value={filters.model}
          onChange={(value) => setFilter("model", value)}
          testId="filter-model"
        >
          <option value="">All models</option>
          {(models.data ?? []).map((model) => (
            <option key={model.slug} value={model.slug}>
              {model.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect
          label="Severity"
          value={filters.severity}
          onChange={(value) => setFilter("severity", value)}
          testId="filter-severity"
        >
          <option value="">Any</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
        </FilterSelect>
        <FilterSelect
          label="State"
          value={filters.state}
          onChange={(value) => setFilter("state", value)}
          testId="filter-state"
        >
          {Object.entries(STATE_FILTERS).map(([value, choice]) => (
            <option key={value} value={value}>
              {choice.label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect
          label="Owner"
          value={filters.owner}
          onChange={(value) => setFilter("owner", value)}
          testId="filter-owner"
        >
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="unassigned">Unassigned</option>
          {(members.data ?? [])
            .filter((member) => member.id !== userId)
            .map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
        </FilterSelect>
      </div>

      {inbox.isPending ? (
        <Card aria-busy="true" aria-label="Loading alerts">
          {[0, 1, 2].map((row) => (
            <div key={row} className="border-b border-line px-5 py-4 last:border-b-0">
              <Skeleton className="h-4 w-full" />
            </div>
          ))}
        </Card>
      ) : inbox.isError ? (
        <QueryError error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.pages[0]?.alerts.length === 0 ? (
        <EmptyState
          icon={BellOff}
          title={filtered ? "No alert matches these filters" : "No open alerts"}
          testId="alerts-empty"
        >
          {filtered
            ? "Clear a filter, or look at resolved alerts with the State filter."
            : "Every monitor is quiet. When one fires, its alert appears here and on the navigation's Alerts count."}
        </EmptyState>
      ) : (
        <Card data-testid="alerts-inbox">
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell className="pl-5">Severity</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
                <TableHeaderCell>Model · monitor</TableHeaderCell>
                <TableHeaderCell>Feature</TableHeaderCell>
                <TableHeaderCell numeric>Value vs threshold</TableHeaderCell>
                <TableHeaderCell numeric>Fired</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell numeric title="Breached again after looking healthy">
                  Re-breaches
                </TableHeaderCell>
                <TableHeaderCell className="pr-5" />
              </TableRow>
            </TableHead>
            <tbody>
              {inbox.data.pages.flatMap((page) =>
                page.alerts.map((alert) => {
                  const recorded = recordedThreshold(alert.details);
                  const threshold =
                    recorded !== null
                      ? formatReading(recorded)
                      : levelFor(alert.monitor.threshold, alert.severity);
                  const href = `/alerts/${alert.id}`;
                  return (
                    <TableRow
                      key={alert.id}
                      data-testid="alert-row"
                      data-alert-id={alert.id}
                      className="group relative hover:bg-hover"
                    >
                      <TableCell className="pl-5">
                        <SeverityBadge severity={alert.severity} />
                      </TableCell>
                      <TableCell>
                        <AlertStateBadge state={alert.state} resolution={alert.resolution} />
                      </TableCell>
                      <TableCell className="max-w-64">
                        {/* The whole row opens the alert; this link is its keyboard stop. */}
                        <Link
                          href={href}
                          className="block truncate font-medium text-ink after:absolute after:inset-0 focus-visible:underline"
                          data-testid="alert-link"
                        >
                          {alert.model.name}
                        </Link>
                        <span className="block truncate text-xs text-ink-muted">
                          {alert.monitor.name} · {METRIC_LABELS[alert.monitor.metric]}
                        </span>
                      </TableCell>
                      <TableCell className="font-mono text-xs">{alert.feature ?? "—"}</TableCell>
                      <TableCell numeric className="whitespace-nowrap">
                        <span className="font-medium text-ink">{formatReading(alert.value)}</span>
                        {threshold ? <span className="text-ink-faint"> vs {threshold}</span> : null}
                      </TableCell>
                      <TableCell
                        numeric
                        className="whitespace-nowrap text-ink-muted"
                        title={alert.firedAt ? formatDateTime(alert.firedAt) : undefined}
                      >
                        {alert.firedAt ? `${formatAge(alert.firedAt)} ago` : "not yet"}
                      </TableCell>
                      <TableCell className="text-ink-muted">
                        {alert.ownerId ? (alert.ownerId === userId ? "You" : alert.ownerName) : "—"}
                      </TableCell>
                      <TableCell numeric className="text-ink-muted">
                        {alert.rebreachCount}
                      </TableCell>
                      <TableCell className="pr-5">
                        <ChevronRight
                          className="size-4 text-ink-faint transition group-hover:translate-x-0.5"
                          aria-hidden
                        />
                      </TableCell>
                    </TableRow>
                  );
                }),
              )}
            </tbody>
          </Table>
          {inbox.hasNextPage ? (
            <div className="border-t border-line px-5 py-3">
              <Button
                variant="secondary"
                size="sm"
                onClick={() => void inbox.fetchNextPage()}
                pending={inbox.isFetchingNextPage}
                data-testid="alerts-more"
              >
                Load older alerts
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </div>
  );
}
