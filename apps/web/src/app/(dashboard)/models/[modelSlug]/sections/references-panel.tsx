"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileUp, History } from "lucide-react";
import { useId, useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { FormAlert } from "~/components/form-controls";
import { formatInteger } from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName, Field } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

import { useDashboard } from "../dashboard-context";
import { DashboardSection } from "./section";

type VersionReference = RouterOutputs["references"]["list"][number];

const SOURCE_LABELS: Record<string, string> = {
  api: "Uploaded through the API",
  upload: "File uploaded here",
  window: "Production window",
};

/** Refreshes the list and everything computed against a reference. */
function useInvalidateReferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.references.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.drift.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.dashboard.pathKey() }),
    ]);
}

function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function FromWindowForm({ version, onDone }: { version: string; onDone: () => void }) {
  const trpc = useTRPC();
  const { projectSlug, modelSlug } = useDashboard();
  const invalidate = useInvalidateReferences();
  const id = useId();
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - 7 * 86_400_000)));
  const [to, setTo] = useState(() => toLocalInput(new Date()));
  const create = useMutation(
    trpc.references.createFromWindow.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
    }),
  );
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({
          projectSlug,
          modelSlug,
          version,
          from: new Date(from),
          to: new Date(to),
        });
      }}
    >
      <p className="text-[13px] text-ink-muted">
        Profiles the features, prediction and score of v{version}&apos;s own production predictions
        in this window. Pick a period you trust: drift is measured against it from now on.
      </p>
      <div className="grid grid-cols-2 gap-3">
        <Field label="From" htmlFor={`${id}-from`}>
          <input
            id={`${id}-from`}
            type="datetime-local"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            className={controlClassName()}
          />
        </Field>
        <Field label="To" htmlFor={`${id}-to`}>
          <input
            id={`${id}-to`}
            type="datetime-local"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            className={controlClassName()}
          />
        </Field>
      </div>
      <FormAlert
        message={create.isError ? create.error.message : null}
        testId="reference-window-error"
      />
      <Button type="submit" pending={create.isPending} data-testid="reference-window-submit">
        Build the reference
      </Button>
    </form>
  );
}

function UploadForm({ version, onDone }: { version: string; onDone: () => void }) {
  const trpc = useTRPC();
  const { projectSlug, modelSlug } = useDashboard();
  const invalidate = useInvalidateReferences();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation(
    trpc.references.upload.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
    }),
  );
  return (
    <form
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!file) return;
        const content = await file.text();
        upload.mutate({
          projectSlug,
          modelSlug,
          version,
          format: file.name.toLowerCase().endsWith(".json") ? "json" : "csv",
          content,
        });
      }}
    >
      <p className="text-[13px] text-ink-muted">
        A CSV with a header row (one column per feature, plus{" "}
        <code className="font-mono">prediction</code> and <code className="font-mono">score</code>{" "}
        if you have them), or a JSON array of records like the ones you send to ingest. Usually the
        training or validation set.
      </p>
      <Field label="File" htmlFor={`${id}-file`} hint="CSV or JSON">
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          data-testid="reference-file"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          className="block w-full text-[13px] text-ink-muted file:mr-3 file:rounded-md file:border file:border-line-strong file:bg-surface file:px-2.5 file:py-1 file:text-xs file:font-medium file:text-ink"
        />
      </Field>
      <FormAlert
        message={upload.isError ? upload.error.message : null}
        testId="reference-upload-error"
      />
      <Button
        type="submit"
        pending={upload.isPending}
        disabled={!file}
        data-testid="reference-upload-submit"
      >
        Upload the reference
      </Button>
    </form>
  );
}

function ReferenceCell({ entry }: { entry: VersionReference }) {
  const reference = entry.reference;
  if (!reference) {
    return <span className="text-ink-faint">None yet: no drift for this version</span>;
  }
  return (
    <div>
      <div className="text-ink">
        {SOURCE_LABELS[reference.source] ?? reference.source}
        {reference.window
          ? `, ${formatDateTime(reference.window.from)} – ${formatDateTime(reference.window.to)}`
          : ""}
      </div>
      <div className="text-xs text-ink-faint">
        Revision {reference.revision} · {formatInteger(reference.rows)} rows ·{" "}
        {reference.profiles.length} profiles · built {formatDateTime(reference.builtAt)}
        {reference.createdBy ? ` by ${reference.createdBy.name}` : ""}
      </div>
    </div>
  );
}

/** Which reference each version's drift uses, and (for engineers) two ways to make one. */
export function ReferencesPanel() {
  const trpc = useTRPC();
  const { projectSlug, modelSlug, canWriteReferences } = useDashboard();
  const references = useQuery(trpc.references.list.queryOptions({ projectSlug, modelSlug }));
  const [dialog, setDialog] = useState<{ version: string; mode: "window" | "upload" } | null>(null);
  return (
    <DashboardSection
      id="references"
      title="References"
      description="Drift and data quality compare each version with its own reference profile. Build one from a production window or upload the training data; the CLI, the SDKs and the ingest API can upload one too."
      testId="references-panel"
    >
      {references.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : references.isError ? (
        <QueryError error={references.error} onRetry={() => void references.refetch()} />
      ) : references.data.length === 0 ? (
        <p className="py-4 text-center text-[13px] text-ink-muted">
          No versions registered yet; a version appears here once it logs predictions or is
          registered.
        </p>
      ) : (
        <div className="-mx-4 -mt-4 -mb-3">
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell>Version</TableHeaderCell>
                <TableHeaderCell>Reference in use</TableHeaderCell>
                {canWriteReferences ? (
                  <TableHeaderCell numeric>New reference</TableHeaderCell>
                ) : null}
              </TableRow>
            </TableHead>
            <tbody>
              {references.data.map((entry) => (
                <TableRow
                  key={entry.version}
                  data-testid="reference-row"
                  data-version={entry.version}
                >
                  <TableCell className="font-mono text-xs font-medium">
                    v{entry.version}
                    {entry.reference ? null : (
                      <Badge tone="canary" className="ml-2 font-sans">
                        no reference
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-[13px]">
                    <ReferenceCell entry={entry} />
                  </TableCell>
                  {canWriteReferences ? (
                    <TableCell numeric>
                      <span className="inline-flex gap-2">
                        <Button
                          variant="secondary"
                          size="sm"
                          icon={<History className="size-3" aria-hidden />}
                          data-testid="reference-from-window"
                          onClick={() => setDialog({ version: entry.version, mode: "window" })}
                        >
                          From a window
                        </Button>
                        <Button
                          variant="secondary"
                          size="sm"
                          icon={<FileUp className="size-3" aria-hidden />}
                          data-testid="reference-upload"
                          onClick={() => setDialog({ version: entry.version, mode: "upload" })}
                        >
                          Upload a file
                        </Button>
                      </span>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </tbody>
          </Table>
        </div>
      )}
      <Dialog
        open={dialog !== null}
        onClose={() => setDialog(null)}
        title={
          dialog?.mode === "upload"
            ? `Upload a reference for v${dialog.version}`
            : `Reference for v${dialog?.version ?? ""} from production`
        }
        testId="reference-dialog"
      >
        {dialog?.mode === "upload" ? (
          <UploadForm version={dialog.version} onDone={() => setDialog(null)} />
        ) : dialog ? (
          <FromWindowForm version={dialog.version} onDone={() => setDialog(null)} />
        ) : null}
      </Dialog>
    </DashboardSection>
  );
}
