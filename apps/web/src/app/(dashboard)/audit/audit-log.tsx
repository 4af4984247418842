"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { CircleAlert, CircleCheck, ShieldCheck } from "lucide-react";
import { useState, type FormEvent } from "react";

import { Card } from "~/components/ui/card";
import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";
import { Button } from "~/components/ui/button";

interface Filters {
  action: string;
  actorId: string;
  resourceType: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { action: "", actorId: "", resourceType: "", from: "", to: "" };
const PAGE_SIZE = 50;
const columns =
  "grid grid-cols-[9.5rem_minmax(0,1.7fr)_minmax(0,1.3fr)_minmax(0,1.4fr)_minmax(0,1.1fr)] gap-4";
const fieldClass =
  "h-8 rounded-lg border border-line-strong bg-surface px-2.5 text-[13px] text-ink outline-none focus:border-accent";

function VerifyChain({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const verify = useQuery(trpc.audit.verify.queryOptions({ projectSlug }, { enabled: false }));
  return (
    <div className="flex items-center gap-3">
      {verify.data ? (
        <span
          data-testid="audit-verify-result"
          data-ok={verify.data.ok}
          className={clsx(
            "flex items-center gap-1.5 text-[13px]",
            verify.data.ok ? "text-emerald-700" : "text-danger",
          )}
        >
          {verify.data.ok ? (
            <>
              <CircleCheck className="size-4" aria-hidden />
              Chain intact: {verify.data.head.chainSeq} entries, {verify.data.checked} re-hashed
              since the last checkpoint
            </>
          ) : (
            <>
              <CircleAlert className="size-4" aria-hidden />
              Broken at entry #{verify.data.brokenAt.chainSeq} of this project (
              {verify.data.brokenAt.problem.replaceAll("_", " ")})
            </>
          )}
        </span>
      ) : verify.isError ? (
        <span data-testid="audit-verify-result" className="text-[13px] text-danger">
          {verify.error.message}
        </span>
      ) : null}
      <Button
        data-testid="audit-verify"
        onClick={() => void verify.refetch()}
        icon={<ShieldCheck className="size-3.5" aria-hidden />}
        pending={verify.isFetching}
        variant="secondary"
      >
        Verify chain
      </Button>
    </div>
  );
}

export function AuditLog({ projectSlug }: { projectSlug: string }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // The cursors of the pages shown so far; the last one is the page on screen.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = cursors.at(-1);
  const log = useQuery(
    trpc.audit.list.queryOptions({
      projectSlug,
      limit: PAGE_SIZE,
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.actorId ? { actorId: filters.actorId } : {}),
      ...(filters.resourceType ? { resourceType: filters.resourceType } : {}),
      ...(filters.from ? { from: new Date(filters.from) } : {}),
      ...(filters.to ? { to: new Date(`${filters.to}T23:59:59.999`) } : {}),
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    }),
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setCursors([undefined]);
  };
  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [key]: event.target.value })),
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form
          onSubmit={apply}
          className="flex flex-wrap items-end gap-2"
          data-testid="audit-filters"
        >
          <label className="text-xs text-ink-muted">
            Action
            <input
              {...field("action")}
              placeholder="promotion."
              className={`${fieldClass} mt-1 block w-36`}
              data-testid="audit-filter-action"
            />
          </label>
          <label className="text-xs text-ink-muted">
            Actor id
            <input {...field("actorId")} className={`${fieldClass} mt-1 block w-36`} />
          </label>
          <label className="text-xs text-ink-muted">
            Resource type
            <input
              {...field("resourceType")}
              placeholder="promotion_request"
              className={`${fieldClass} mt-1 block w-40`}
            />
          </label>
          <label className="text-xs text-ink-muted">
            From
            <input type="date" {...field("from")} className={`${fieldClass} mt-1 block w-36`} />
          </label>
          <label className="text-xs text-ink-muted">
            To
            <input type="date" {...field("to")} className={`${fieldClass} mt-1 block w-36`} />
          </label>
          <Button type="submit">Filter</Button>
        </form>
        <VerifyChain projectSlug={projectSlug} />
      </div>

      {log.isError ? (
        <QueryError error={log.error} onRetry={() => log.refetch()} />
      ) : (
        <Card>
          <div
            className={`${columns} border-b border-line px-5 py-2.5 text-[11px] font-medium uppercase tracking-wider text-ink-faint`}
          >
            <span>Time</span>
            <span>Actor</span>
            <span>Action</span>
            <span>Resource</span>
            <span>Reason</span>
          </div>
          {log.isPending ? (
            <div className="space-y-2 px-5 py-4">
              <Skeleton className="h-4 w-full" />
              <Skeleton className="h-4 w-full" />
            </div>
          ) : log.data.rows.length === 0 ? (
            <p className="px-5 py-6 text-center text-[13px] text-ink-muted">
              No entries match these filters.
            </p>
          ) : (
            <ul>
              {log.data.rows.map((row) => (
                <li
                  key={row.id}
                  data-testid="audit-row"
                  data-action={row.action}
                  className={`${columns} border-b border-line px-5 py-2.5 text-[13px] last:border-b-0`}
                >
                  <span className="text-xs tabular-nums text-ink-muted">
                    {formatDateTime(row.occurredAt)}
                  </span>
                  <span
                    className="truncate text-ink-muted"
                    title={row.actorLabel}
                    data-testid="audit-actor"
                  >
                    {row.actorLabel}
                  </span>
                  <span className="truncate font-medium text-ink">{row.action}</span>
                  <span
                    className="truncate text-ink-muted"
                    title={row.resourceLabel ?? row.resourceId ?? undefined}
                    data-testid="audit-resource"
                  >
                    {row.resourceType}
                    {row.resourceLabel ? (
                      <span className="ml-1 text-ink">{row.resourceLabel}</span>
                    ) : row.resourceId ? (
                      <span className="ml-1 font-mono text-[11px] text-ink-faint">
                        {row.resourceId.slice(0, 8)}
                      </span>
                    ) : null}
                  </span>
                  <span className="truncate text-ink-muted" title={row.reason ?? undefined}>
                    {row.reason ?? "–"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}

      <div className="flex items-center justify-between text-[13px]">
        <Button
          onClick={() => setCursors((current) => current.slice(0, -1))}
          disabled={cursors.length <= 1}
          variant="secondary"
        >
          Newer
        </Button>
        <span className="text-xs text-ink-faint">Page {cursors.length}</span>
        <Button
          data-testid="audit-older"
          onClick={() => {
            const next = log.data?.nextCursor;
            if (next) setCursors((current) => [...current, next]);
          }}
          disabled={!log.data?.nextCursor}
          variant="secondary"
        >
          Older
        </Button>
      </div>
    </div>
  );
}
