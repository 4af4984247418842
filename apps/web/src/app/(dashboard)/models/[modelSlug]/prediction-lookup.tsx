"use client";

import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useId, useState } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { formatLatency, formatScore } from "~/components/format/numbers";
import { formatDateTime, formatDuration } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { useDashboard } from "./dashboard-context";

type Lookup = NonNullable<RouterOutputs["dashboard"]["lookupPrediction"]>;

function KeyValues({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="text-xs text-ink-faint">None</p>;
  return (
    <dl className="grid grid-cols-[minmax(0,10rem)_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="truncate font-mono text-ink-muted">{key}</dt>
          <dd className="truncate font-mono text-ink">{JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function LookupResult({ lookup }: { lookup: Lookup }) {
  return (
    <div className="space-y-5" data-testid="lookup-result">
      {lookup.predictions.map((prediction) => (
        <div key={`${prediction.version}:${prediction.deployment}`} className="space-y-3">
          <div className="flex flex-wrap items-center gap-2 text-xs text-ink-muted">
            <Badge className="font-mono">v{prediction.version}</Badge>
            <Badge tone={prediction.deployment === "canary" ? "canary" : "neutral"}>
              {prediction.deployment}
            </Badge>
            <span>{formatDateTime(prediction.timestamp)}</span>
            <span>· {formatLatency(prediction.latencyMs)}</span>
            {prediction.status !== "ok" ? (
              <Badge tone="danger">{prediction.errorCode ?? prediction.status}</Badge>
            ) : null}
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium text-ink">Output</h3>
            <p className="font-mono text-[13px] text-ink" data-testid="lookup-output">
              {prediction.output.label !== null
                ? `label ${JSON.stringify(prediction.output.label)}`
                : ""}
              {prediction.output.score !== null
                ? ` · score ${formatScore(prediction.output.score)}`
                : ""}
              {prediction.output.value !== null ? ` · value ${prediction.output.value}` : ""}
            </p>
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium text-ink">Features</h3>
            <KeyValues values={prediction.features} />
          </div>
          {prediction.segments ? (
            <div>
              <h3 className="mb-1 text-xs font-medium text-ink">Segments</h3>
              <KeyValues values={prediction.segments} />
            </div>
          ) : null}
        </div>
      ))}
      <div>
        <h3 className="mb-1 text-xs font-medium text-ink">Labels</h3>
        {lookup.labels.length === 0 ? (
          <p className="text-xs text-ink-faint">No label has arrived for this prediction yet.</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {lookup.labels.map((label) => (
              <li key={`${label.labelName}:${label.version ?? ""}`} className="font-mono text-ink">
                {label.labelName} = {JSON.stringify(label.actual)}{" "}
                <span className="font-sans text-ink-faint">
                  (revision {label.revision}
                  {label.delayMs !== null
                    ? `, ${formatDuration(label.delayMs)} after the prediction`
                    : ""}
                  )
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function LookupForm() {
  const trpc = useTRPC();
  const { projectSlug, modelSlug } = useDashboard();
  const id = useId();
  const [draft, setDraft] = useState("");
  const [predictionId, setPredictionId] = useState<string | null>(null);
  const lookup = useQuery(
    trpc.dashboard.lookupPrediction.queryOptions(
      { projectSlug, modelSlug, predictionId: predictionId ?? "" },
      { enabled: predictionId !== null },
    ),
  );
  return (
    <div className="space-y-4">
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim()) setPredictionId(draft.trim());
        }}
      >
        <label htmlFor={id} className="sr-only">
          Prediction id
        </label>
        <input
          id={id}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="prediction_id, as your service sent it"
          data-testid="lookup-input"
          className={controlClassName({ size: "sm" })}
          autoFocus
        />
        <Button type="submit" data-testid="lookup-submit">
          Find
        </Button>
      </form>
      {predictionId === null ? null : lookup.isPending ? (
        <Skeleton className="h-32 w-full" />
      ) : lookup.isError ? (
        <QueryError error={lookup.error} />
      ) : lookup.data === null ? (
        <p className="text-[13px] text-ink-muted" data-testid="lookup-not-found">
          No prediction <span className="font-mono">{predictionId}</span> for this model.
        </p>
      ) : (
        <LookupResult lookup={lookup.data} />
      )}
    </div>
  );
}

/** Find one prediction by id: its features, output, labels, version and deployment. */
export function PredictionLookup() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        icon={<Search className="size-3" aria-hidden />}
        onClick={() => setOpen(true)}
        data-testid="lookup-open"
      >
        Find a prediction
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Find a prediction"
        description="Every version that logged the id, what it answered, and the labels that joined it."
        testId="lookup-dialog"
      >
        <LookupForm />
      </Dialog>
    </>
  );
}
