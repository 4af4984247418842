"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import {
  Check,
  CircleAlert,
  CircleCheck,
  Download,
  FileText,
  Pencil,
  RotateCw,
  Send,
} from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";

import { formatInteger } from "~/components/format/numbers";
import { formatDateTime } from "~/components/format/time";
import { ModelCardStatusBadge } from "~/components/governance/model-card-status-badge";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import { ModelCardEditor } from "./model-card-editor";
import {
  REQUIRED_SECTION_COUNT,
  REQUIRED_SECTION_LABELS,
  type ModelCardContent,
  type ModelCardView,
  type RequiredSection,
} from "./model-card-form";

interface Props {
  projectSlug: string;
  modelSlug: string;
  version: string;
  modelName: string;
  canEdit: boolean;
  canApprove: boolean;
}

/**
 * The version's model card: its status and who moved it there, what it still misses, the
 * authored sections and the ones filled from lineage and evaluations; an editor for roles with
 * `card.edit`, submission for review, and approval for roles with `card.approve`. Buttons only
 * appear for roles that may use them; the server checks every call again.
 */
export function ModelCardPanel({
  projectSlug,
  modelSlug,
  version,
  modelName,
  canEdit,
  canApprove,
}: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = { projectSlug, modelSlug, version };
  const card = useQuery(trpc.modelCards.get.queryOptions(ref));
  const [editing, setEditing] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  // Closing the editor puts the keyboard focus back on the button that opened it.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const exportMarkdown = async () => {
    try {
      const text = await queryClient.fetchQuery(trpc.modelCards.markdown.queryOptions(ref));
      const url = URL.createObjectURL(new Blob([text], { type: "text/markdown" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `${modelSlug}-v${version}-model-card.md`;
      link.click();
      URL.revokeObjectURL(url);
      setExportError(null);
    } catch (error) {
      setExportError((error as Error).message);
    }
  };

  const reload = async () => {
    const result = await card.refetch();
    return result.data ?? null;
  };

  return (
    <Card id="model-card" data-testid="model-card" className="scroll-mt-6">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Model card
            {card.data ? (
              <span data-testid="model-card-status" data-status={card.data.status}>
                <ModelCardStatusBadge status={card.data.status} />
              </span>
            ) : null}
          </span>
        }
        description={
          editing
            ? "Edit the authored sections; data and metrics come from lineage and evaluations."
            : card.data
              ? `Model Card Toolkit layout · revision ${card.data.revision}`
              : "Model Card Toolkit layout"
        }
        actions={
          card.data && !editing ? (
            <>
              <Button
                data-testid="model-card-export"
                onClick={() => void exportMarkdown()}
                variant="secondary"
                size="sm"
              >
                <Download className="size-3" aria-hidden />
                Export Markdown
              </Button>
              {canEdit ? (
                <Button
                  ref={editButton}
                  data-testid="model-card-edit"
                  onClick={() => setEditing(true)}
                  variant="secondary"
                  size="sm"
                >
                  <Pencil className="size-3" aria-hidden />
                  Edit card
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      {exportError ? (
        <p className="border-b border-line px-5 py-2 text-xs text-danger" role="alert">
          Could not export the card: {exportError}
        </p>
      ) : null}

      {card.isPending ? (
        <div className="space-y-3 px-5 py-4" aria-busy="true">
          <Skeleton className="h-14 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : card.isError ? (
        <div className="flex items-start gap-3 px-5 py-4" role="status">
          <CircleAlert className="mt-0.5 size-4 shrink-0 text-danger" aria-hidden />
          <div className="min-w-0 flex-1">
            <p className="text-[13px] font-medium text-ink">Could not load the model card</p>
            <p className="mt-0.5 text-xs text-ink-muted">{card.error.message}</p>
          </div>
          <Button
            variant="secondary"
            size="sm"
            icon={<RotateCw className="size-3" aria-hidden />}
            onClick={() => void card.refetch()}
          >
            Retry
          </Button>
        </div>
      ) : editing ? (
        <ModelCardEditor
          projectSlug={projectSlug}
          modelSlug={modelSlug}
          version={version}
          modelName={modelName}
          card={card.data}
          onClose={() => setEditing(false)}
          onReload={reload}
        />
      ) : card.data === null ? (
        <div className="px-6 py-10 text-center" data-testid="model-card-empty">
          <div className="mx-auto mb-3 grid size-10 place-items-center rounded-lg border border-line bg-canvas text-ink-muted">
            <FileText className="size-5" strokeWidth={1.75} aria-hidden />
          </div>
          <p className="text-[14px] font-semibold text-ink">This version has no model card yet</p>
          <p className="mx-auto mt-1.5 max-w-md text-[13px] leading-relaxed text-ink-muted">
            A card says what the model is for, what it was trained and evaluated on, and where it
            must not be used. A promotion policy may require an approved, complete card.
          </p>
          {canEdit ? (
            <Button
              ref={editButton}
              data-testid="model-card-create"
              onClick={() => setEditing(true)}
              className="mt-5"
            >
              <Pencil className="size-3.5" aria-hidden />
              Write the card
            </Button>
          ) : (
            <p className="mt-4 text-xs text-ink-faint">An ML engineer writes it.</p>
          )}
        </div>
      ) : (
        <>
          <CardWorkflow card={card.data} refKey={ref} canEdit={canEdit} canApprove={canApprove} />
          <CardContent card={card.data} />
        </>
      )}
    </Card>
  );
}

/** Who did what and when, what is missing, and the next step for this role. */
function CardWorkflow({
  card,
  refKey,
  canEdit,
  canApprove,
}: {
  card: ModelCardView;
  refKey: { projectSlug: string; modelSlug: string; version: string };
  canEdit: boolean;
  canApprove: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.modelCards.pathKey() }),
      // The approvals page shows whether the card is complete and approved.
      queryClient.invalidateQueries({ queryKey: trpc.promotions.pathKey() }),
    ]);
  const submit = useMutation(
    trpc.modelCards.submit.mutationOptions({ onSuccess: refresh, onError: refresh }),
  );
  const approve = useMutation(
    trpc.modelCards.approve.mutationOptions({ onSuccess: refresh, onError: refresh }),
  );
  const { missing } = card.completeness;
  const filled = REQUIRED_SECTION_COUNT - missing.length;
  const submitted = card.status === "pending_review" || card.status === "approved";
  const failed = submit.error ?? approve.error;

  return (
    <div className="border-b border-line" data-testid="model-card-workflow">
      <dl className="grid gap-px bg-line sm:grid-cols-3">
        <Fact label="Last edited" testId="model-card-edited">
          {card.updatedByName ?? "Not recorded"}
          <Sub>{formatDateTime(card.updatedAt)}</Sub>
        </Fact>
        <Fact label="Submitted for review" testId="model-card-submitted">
          {submitted ? (
            <>
              {card.submittedByName ?? "Not recorded"}
              {card.submittedAt ? <Sub>{formatDateTime(card.submittedAt)}</Sub> : null}
            </>
          ) : (
            <Faint>Not yet</Faint>
          )}
        </Fact>
        <Fact label="Approved" testId="model-card-approved">
          {card.status === "approved" ? (
            <>
              {card.approvedByName ?? "Not recorded"}
              {card.approvedAt ? <Sub>{formatDateTime(card.approvedAt)}</Sub> : null}
            </>
          ) : (
            <Faint>Not yet</Faint>
          )}
        </Fact>
      </dl>

      <div className="border-t border-line px-5 py-3.5" data-testid="model-card-completeness">
        <div className="flex items-center justify-between gap-3 text-[13px]">
          <span className="font-medium text-ink">Completeness</span>
          <span className="text-xs text-ink-muted tabular-nums">
            {filled} of {REQUIRED_SECTION_COUNT} required sections
          </span>
        </div>
        <div
          className="mt-2 h-1.5 overflow-hidden rounded-full bg-subtle"
          role="progressbar"
          aria-label="Required sections filled"
          aria-valuemin={0}
          aria-valuemax={REQUIRED_SECTION_COUNT}
          aria-valuenow={filled}
        >
          <div
            className={clsx(
              "h-full rounded-full",
              missing.length === 0 ? "bg-emerald-500" : "bg-amber-400",
            )}
            style={{ width: `${(filled / REQUIRED_SECTION_COUNT) * 100}%` }}
          />
        </div>
        {missing.length === 0 ? (
          <p className="mt-2 flex items-center gap-1.5 text-xs text-emerald-700">
            <CircleCheck className="size-3.5" aria-hidden />
            Complete: every required section is filled.
          </p>
        ) : (
          <div className="mt-2.5 flex flex-wrap items-center gap-1.5 text-xs">
            <span className="text-ink-muted">Missing:</span>
            {missing.map((section) => (
              <span key={section} data-testid="model-card-missing" data-section={section}>
                <Badge tone="canary">{REQUIRED_SECTION_LABELS[section]}</Badge>
              </span>
            ))}
          </div>
        )}
      </div>

      <div className="flex flex-wrap items-center gap-3 border-t border-line px-5 py-3.5">
        {card.status === "draft" && canEdit ? (
          <>
            <Button
              data-testid="model-card-submit"
              onClick={() => submit.mutate({ ...refKey, expectedRevision: card.revision })}
              icon={<Send className="size-3.5" aria-hidden />}
              pending={submit.isPending}
            >
              Submit for approval
            </Button>
            <p className="min-w-0 flex-1 text-xs text-ink-muted">
              {missing.length === 0
                ? "An approver reviews it next."
                : `An approver reviews it next. With ${missing.length} required ${
                    missing.length === 1 ? "section" : "sections"
                  } missing, a policy that requires a complete card will still block promotion.`}
            </p>
          </>
        ) : card.status === "pending_review" && canApprove ? (
          <>
            <Button
              data-testid="model-card-approve"
              onClick={() => approve.mutate({ ...refKey, expectedRevision: card.revision })}
              icon={<Check className="size-3.5" aria-hidden />}
              pending={approve.isPending}
              variant="success"
            >
              Approve card
            </Button>
            <p className="min-w-0 flex-1 text-xs text-ink-muted">
              Your approval signs revision {card.revision} as shown below (
              <span className="font-mono">{card.contentHash.slice(0, 19)}…</span>). Any later edit
              sends the card back to draft.
            </p>
          </>
        ) : (
          <p className="text-xs text-ink-muted" data-testid="model-card-next-step">
            {nextStep(card.status, canEdit)}
          </p>
        )}
      </div>
      {failed ? (
        <p
          className="mx-5 mb-3.5 flex items-start gap-2 rounded-lg bg-danger-soft px-3 py-2 text-xs text-danger"
          role="alert"
          data-testid="model-card-action-error"
        >
          <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
          {failed.data?.reason === "card_revision_conflict"
            ? `${failed.message} The card below is now the latest; review it before you continue.`
            : failed.message}
        </p>
      ) : null}
    </div>
  );
}

function nextStep(status: ModelCardView["status"], canEdit: boolean): string {
  switch (status) {
    case "draft":
      return "Draft: an ML engineer submits it for approval when it is ready.";
    case "pending_review":
      return "Awaiting review by an approver.";
    case "approved":
      return canEdit
        ? "Approved. Editing sends it back to draft and makes open promotion requests for this version stale."
        : "Approved.";
    default:
      return "Archived: this card is kept for the record.";
  }
}

function Fact({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="bg-surface px-5 py-3" data-testid={testId}>
      <dt className="text-[11px] font-medium tracking-wider text-ink-faint uppercase">{label}</dt>
      <dd className="mt-1 text-[13px] text-ink">{children}</dd>
    </div>
  );
}

function Sub({ children }: { children: ReactNode }) {
  return <span className="block text-xs text-ink-faint">{children}</span>;
}

function Faint({ children }: { children: ReactNode }) {
  return <span className="text-ink-faint">{children}</span>;
}

/** The card's sections in Model Card Toolkit order, authored and evidence ones labelled. */
function CardContent({ card }: { card: ModelCardView }) {
  const { modelDetails: details, modelParameters: parameters, considerations } = card.content;
  const missing = new Set<RequiredSection>(card.completeness.missing);
  const described = (items: { description: string }[]) =>
    items.length === 0 ? null : <Bullets items={items.map((item) => item.description)} />;
  return (
    <div data-testid="model-card-content">
      <SectionHeading title="Model details" tag="authored" />
      <dl>
        <Row label="Name" section="modelDetails.name" missing={missing} testId="card-name">
          {details.name || null}
        </Row>
        <Row
          label="Overview"
          section="modelDetails.overview"
          missing={missing}
          testId="card-overview"
        >
          {details.overview ? <Prose text={details.overview} /> : null}
        </Row>
        <Row label="Version" section="modelDetails.version.name" missing={missing}>
          {details.version.name ? (
            <>
              {details.version.name}
              {details.version.date ? (
                <span className="ml-2 text-ink-faint">{details.version.date}</span>
              ) : null}
              {details.version.diff ? (
                <span className="mt-0.5 block text-ink-muted">{details.version.diff}</span>
              ) : null}
            </>
          ) : null}
        </Row>
        <Row label="Owners" section="modelDetails.owners" missing={missing} testId="card-owners">
          {details.owners.length === 0 ? null : (
            <Bullets
              items={details.owners.map((owner) =>
                owner.contact ? `${owner.name} (${owner.contact})` : owner.name,
              )}
            />
          )}
        </Row>
        <Row label="Licenses" section="modelDetails.licenses" missing={missing}>
          {details.licenses.length === 0
            ? null
            : details.licenses
                .map((licence) => licence.identifier ?? licence.customText ?? "")
                .filter(Boolean)
                .join(", ") || null}
        </Row>
        <Row label="Documentation">
          {details.documentation ? <Prose text={details.documentation} /> : null}
        </Row>
        {details.references.length > 0 ? (
          <Row label="References">
            <Bullets items={details.references.map((ref) => ref.reference)} />
          </Row>
        ) : null}
        {details.citations.length > 0 ? (
          <Row label="Citations">
            <Bullets items={details.citations.map((citation) => citation.citation)} />
          </Row>
        ) : null}
      </dl>

      <SectionHeading title="Model parameters" tag="authored" />
      <dl>
        <Row label="Architecture">{parameters.modelArchitecture || null}</Row>
        <Row label="Input format">
          {parameters.inputFormat ? <Prose text={parameters.inputFormat} /> : null}
        </Row>
        <Row label="Output format">
          {parameters.outputFormat ? <Prose text={parameters.outputFormat} /> : null}
        </Row>
      </dl>

      <SectionHeading title="Data" tag="lineage" />
      <DataTable data={parameters.data} />

      <SectionHeading title="Performance metrics" tag="evaluations" />
      <MetricsTable metrics={card.content.quantitativeAnalysis.performanceMetrics} />

      <SectionHeading title="Considerations" tag="authored" />
      <dl>
        <Row label="Intended users" section="considerations.users" missing={missing}>
          {described(considerations.users)}
        </Row>
        <Row
          label="Use cases"
          section="considerations.useCases"
          missing={missing}
          testId="card-use-cases"
        >
          {described(considerations.useCases)}
        </Row>
        <Row
          label="Limitations"
          section="considerations.limitations"
          missing={missing}
          testId="card-limitations"
        >
          {described(considerations.limitations)}
        </Row>
        <Row label="Tradeoffs">{described(considerations.tradeoffs)}</Row>
        <Row
          label="Ethical considerations"
          section="considerations.ethicalConsiderations"
          missing={missing}
        >
          {considerations.ethicalConsiderations.length === 0 ? null : (
            <ul className="space-y-1">
              {considerations.ethicalConsiderations.map((item, index) => (
                <li key={index}>
                  <span className="font-medium">{item.name}</span>
                  {item.mitigationStrategy ? (
                    <span className="text-ink-muted">: {item.mitigationStrategy}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row
          label="Risk rating"
          section="considerations.riskRating"
          missing={missing}
          testId="card-risk-rating"
        >
          {considerations.riskRating ? (
            <Badge tone={riskTone[considerations.riskRating]}>{considerations.riskRating}</Badge>
          ) : null}
        </Row>
      </dl>
    </div>
  );
}

const riskTone = {
  low: "success",
  medium: "neutral",
  high: "canary",
  critical: "danger",
} as const;

const sourceOf = {
  authored: { label: "Authored", tone: "neutral", note: "written by the team" },
  lineage: { label: "From lineage", tone: "accent", note: "filled on save, read-only" },
  evaluations: { label: "From evaluations", tone: "accent", note: "filled on save, read-only" },
} as const;

function SectionHeading({ title, tag }: { title: string; tag: keyof typeof sourceOf }) {
  const source = sourceOf[tag];
  return (
    <div
      className="flex items-center gap-2 border-y border-line bg-canvas/70 px-5 py-2 first:border-t-0"
      data-testid="model-card-section"
      data-source={tag}
    >
      <h3 className="text-xs font-semibold text-ink">{title}</h3>
      <Badge tone={source.tone}>{source.label}</Badge>
      <span className="ml-auto text-[11px] text-ink-faint">{source.note}</span>
    </div>
  );
}

/** A field of the card; an empty required one says "Missing", an empty optional one a dash. */
function Row({
  label,
  section,
  missing,
  testId,
  children,
}: {
  label: string;
  section?: RequiredSection;
  missing?: Set<RequiredSection>;
  testId?: string;
  children: ReactNode;
}) {
  const isMissing = section !== undefined && missing?.has(section);
  return (
    <div
      className="grid grid-cols-[10rem_minmax(0,1fr)] gap-3 border-b border-line px-5 py-2.5 text-[13px] last:border-b-0"
      data-testid={testId}
    >
      <dt className="text-ink-faint">{label}</dt>
      <dd className="min-w-0 break-words text-ink">
        {children ??
          (isMissing ? (
            <span className="inline-flex items-center gap-1.5 text-amber-700">
              <span className="size-1.5 rounded-full bg-amber-400" aria-hidden />
              Missing
            </span>
          ) : (
            <span className="text-ink-faint">–</span>
          ))}
      </dd>
    </div>
  );
}

function Prose({ text }: { text: string }) {
  return <span className="whitespace-pre-line">{text}</span>;
}

function Bullets({ items }: { items: string[] }) {
  return (
    <ul className="list-disc space-y-0.5 pl-4 marker:text-ink-faint">
      {items.map((item, index) => (
        <li key={index}>{item}</li>
      ))}
    </ul>
  );
}

const th = "px-5 py-2 text-left text-[11px] font-medium tracking-wider text-ink-faint uppercase";
const td = "px-5 py-2 text-[13px]";

function DataTable({ data }: { data: ModelCardContent["modelParameters"]["data"] }) {
  if (data.length === 0) {
    return (
      <p className="px-5 py-3 text-[13px] text-amber-700" data-testid="card-data-empty">
        No datasets: this version was registered without lineage, or the card has not been saved
        since.
      </p>
    );
  }
  return (
    <table className="w-full" data-testid="card-data">
      <thead className="border-b border-line">
        <tr>
          <th className={th}>Dataset</th>
          <th className={th}>Role</th>
          <th className={`${th} text-right`}>Rows</th>
          <th className={th}>Digest</th>
        </tr>
      </thead>
      <tbody>
        {data.map((dataset, index) => (
          <tr key={index} className="border-b border-line last:border-b-0">
            <td className={clsx(td, "font-medium text-ink")}>{dataset.name}</td>
            <td className={clsx(td, "text-ink-muted")}>{dataset.role ?? "–"}</td>
            <td className={clsx(td, "text-right text-ink-muted tabular-nums")}>
              {dataset.rowCount === undefined ? "–" : formatInteger(dataset.rowCount)}
            </td>
            <td className={clsx(td, "font-mono text-xs text-ink-muted")} title={dataset.digest}>
              {dataset.digest ? `${dataset.digest.slice(0, 19)}…` : "–"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Three decimals, as on the approvals page: a gate on AUC moves in the third. */
function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** Overall metrics before per-slice ones, each group in the order the evaluations gave them. */
function overallFirst<T extends { slice: string | null }>(metrics: readonly T[]): T[] {
  return [
    ...metrics.filter((metric) => metric.slice === null),
    ...metrics.filter((metric) => metric.slice !== null),
  ];
}

function MetricsTable({
  metrics,
}: {
  metrics: ModelCardContent["quantitativeAnalysis"]["performanceMetrics"];
}) {
  if (metrics.length === 0) {
    return (
      <p className="px-5 py-3 text-[13px] text-amber-700" data-testid="card-metrics-empty">
        No metrics: post an evaluation for this version, then save the card.
      </p>
    );
  }
  return (
    <table className="w-full" data-testid="card-metrics">
      <thead className="border-b border-line">
        <tr>
          <th className={th}>Metric</th>
          <th className={th}>Slice</th>
          <th className={`${th} text-right`}>Value</th>
          <th className={`${th} text-right`}>95% interval</th>
          <th className={`${th} text-right`}>n</th>
        </tr>
      </thead>
      <tbody>
        {overallFirst(metrics).map((metric, index) => (
          <tr key={index} className="border-b border-line last:border-b-0">
            <td className={clsx(td, "font-medium text-ink")}>{metric.type}</td>
            <td className={clsx(td, "text-ink-muted")}>{metric.slice ?? "overall"}</td>
            <td className={clsx(td, "text-right text-ink tabular-nums")}>
              {formatMetric(metric.value)}
            </td>
            <td className={clsx(td, "text-right text-ink-muted tabular-nums")}>
              {metric.confidenceInterval
                ? `${formatMetric(metric.confidenceInterval.lowerBound)} – ${formatMetric(
                    metric.confidenceInterval.upperBound,
                  )}`
                : "–"}
            </td>
            <td className={clsx(td, "text-right text-ink-muted tabular-nums")}>
              {metric.n === undefined ? "–" : formatInteger(metric.n)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
