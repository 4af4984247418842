"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { ChevronDown, CircleAlert, Plus, RotateCw, X } from "lucide-react";
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

import {
  changedFields,
  fromForm,
  RISK_RATINGS,
  rowKey,
  toForm,
  validateForm,
  type FieldError,
  type FormField,
  type ModelCardForm,
  type ModelCardView,
} from "./model-card-form";

const inputClass =
  "w-full rounded-lg border bg-surface px-3 text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15";
/** The fields the form edits as plain text (inputs and textareas). */
type TextField = {
  [K in FormField]: ModelCardForm[K] extends string ? K : never;
}[FormField];

/** The revision the editor started from travels with the save: a newer one is a conflict. */
interface Props {
  projectSlug: string;
  modelSlug: string;
  version: string;
  modelName: string;
  card: ModelCardView | null;
  onClose: () => void;
  /** Fetches the card again (after a conflict); resolves with the newest one. */
  onReload: () => Promise<ModelCardView | null>;
}

/**
 * Edits the authored sections of a version's card. Data and metrics are not editable: the
 * server fills them from lineage and evaluations on save. Client checks only catch what the
 * server would refuse with a less precise message; every other rule is the server's.
 */
export function ModelCardEditor({
  projectSlug,
  modelSlug,
  version,
  modelName,
  card: startingCard,
  onClose,
  onReload,
}: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [base, setBase] = useState(startingCard);
  const fallback = { name: modelName, versionName: version };
  const [initial, setInitial] = useState(() => toForm(startingCard?.content ?? null, fallback));
  const [form, setForm] = useState(initial);
  const [refreshEvidence, setRefreshEvidence] = useState(true);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [reloading, setReloading] = useState(false);

  const save = useMutation(
    trpc.modelCards.edit.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.modelCards.pathKey() }),
          // A changed card makes open requests for this version stale.
          queryClient.invalidateQueries({ queryKey: trpc.promotions.pathKey() }),
        ]);
        onClose();
      },
    }),
  );
  const conflict = save.error?.data?.reason === "card_revision_conflict";
  const dirty = changedFields(form, initial).length > 0;
  const errorOf = (field: FormField) => errors.filter((error) => error.field === field);

  const set = <K extends FormField>(field: K, value: ModelCardForm[K]) => {
    setForm((current) => ({ ...current, [field]: value }));
    if (errors.some((error) => error.field === field)) {
      setErrors((current) => current.filter((error) => error.field !== field));
    }
  };

  const focusField = (error: FieldError) => {
    const id =
      error.row === undefined ? `${ids}-${error.field}` : `${ids}-${error.field}-${error.row}`;
    const element = document.getElementById(id);
    element?.focus({ preventScroll: true });
    // Centred, so that neither the page header nor the sticky save bar hides its message.
    element?.scrollIntoView({ block: "center" });
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const problems = validateForm(form);
    setErrors(problems);
    if (problems[0]) {
      focusField(problems[0]);
      return;
    }
    save.mutate({
      projectSlug,
      modelSlug,
      version,
      content: fromForm(form, initial, base?.content ?? null),
      fillFromEvidence: refreshEvidence,
      expectedRevision: base?.revision ?? 0,
    });
  };

  const cancel = () => {
    if (dirty && !window.confirm("Discard your changes to the model card?")) return;
    onClose();
  };

  /** After a conflict: start again from the card as it is now (the user's edits are dropped). */
  const loadLatest = async () => {
    setReloading(true);
    try {
      const latest = await onReload();
      const next = toForm(latest?.content ?? null, fallback);
      setBase(latest);
      setInitial(next);
      setForm(next);
      setErrors([]);
      save.reset();
    } finally {
      setReloading(false);
    }
  };

  // Ctrl+Enter (Cmd+Enter on a Mac) saves from any field, as in most editors.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  const textField = (
    field: TextField,
    label: string,
    options: {
      required?: boolean;
      rows?: number;
      hint?: string;
      placeholder?: string;
      autoFocus?: boolean;
    } = {},
  ) => {
    const fieldErrors = errorOf(field);
    const id = `${ids}-${field}`;
    const value = form[field];
    const describedBy = [
      options.hint ? `${id}-hint` : null,
      fieldErrors.length > 0 ? `${id}-error` : null,
    ]
      .filter(Boolean)
      .join(" ");
    const common = {
      id,
      "data-testid": `card-field-${field}`,
      value,
      placeholder: options.placeholder,
      autoFocus: options.autoFocus,
      "aria-invalid": fieldErrors.length > 0 ? true : undefined,
      "aria-describedby": describedBy || undefined,
      className: clsx(
        inputClass,
        options.rows ? "py-2 leading-relaxed" : "h-9",
        fieldErrors.length > 0 ? "border-danger" : "border-line-strong",
      ),
    };
    return (
      <div className="space-y-1.5">
        <FieldLabel htmlFor={id} required={options.required}>
          {label}
        </FieldLabel>
        {options.rows ? (
          <textarea
            {...common}
            rows={options.rows}
            onChange={(event) => set(field, event.target.value)}
          />
        ) : (
          <input {...common} onChange={(event) => set(field, event.target.value)} />
        )}
        {options.hint ? (
          <p id={`${id}-hint`} className="text-xs text-ink-faint">
            {options.hint}
          </p>
        ) : null}
        <FieldErrors id={`${id}-error`} errors={fieldErrors} />
      </div>
    );
  };

  return (
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      aria-label="Edit the model card"
      data-testid="model-card-editor"
    >
      {base?.status === "approved" || base?.status === "pending_review" ? (
        <p
          className="border-b border-amber-200 bg-amber-50 px-5 py-2.5 text-[13px] text-amber-900"
          role="note"
        >
          This card is {base.status === "approved" ? "approved" : "awaiting review"}. Saving a
          change sends it back to draft, and open promotion requests for this version become stale.
        </p>
      ) : null}

      {errors.length > 0 ? (
        <div
          role="alert"
          data-testid="card-form-errors"
          className="mx-5 mt-4 flex items-start gap-2 rounded-lg border border-red-200 bg-danger-soft px-3 py-2.5 text-[13px] text-red-800"
        >
          <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
          <div>
            <p className="font-medium">
              Fix {errors.length === 1 ? "this field" : `these ${errors.length} fields`} before
              saving:
            </p>
            <ul className="mt-1 list-disc pl-4">
              {errors.map((error, index) => (
                <li key={index}>
                  <button
                    type="button"
                    onClick={() => focusField(error)}
                    className="text-left underline decoration-red-300 underline-offset-2 hover:decoration-red-800"
                  >
                    {error.message}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      <Section title="Model details" tag="Authored">
        <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_12rem_10rem]">
          {textField("name", "Name", { required: true, autoFocus: true })}
          {textField("versionName", "Version name", { required: true })}
          {textField("versionDate", "Version date", { placeholder: "2026-10-01" })}
        </div>
        {textField("overview", "Overview", {
          required: true,
          rows: 3,
          placeholder: "What the model predicts, for whom, and how its output is used.",
        })}
        {textField("versionDiff", "Changes in this version", {
          rows: 2,
          placeholder: "Retrained on Q3 applications; added the region feature.",
        })}
        <RowsField
          idPrefix={ids}
          field="owners"
          label="Owners"
          required
          addLabel="Add owner"
          errors={errorOf("owners")}
          rows={form.owners}
          onAdd={() => set("owners", [...form.owners, { key: rowKey(), name: "", contact: "" }])}
          onRemove={(row) =>
            set(
              "owners",
              form.owners.filter((_, index) => index !== row),
            )
          }
          render={(owner, row) => (
            <div className="grid flex-1 gap-2 sm:grid-cols-2">
              <input
                id={`${ids}-owners-${row}`}
                data-testid="card-owner-name"
                aria-label={`Owner ${row + 1} name`}
                placeholder="Risk ML team"
                value={owner.name}
                aria-invalid={errorOf("owners").some((e) => e.row === row) ? true : undefined}
                onChange={(event) =>
                  set(
                    "owners",
                    form.owners.map((o, index) =>
                      index === row ? { ...o, name: event.target.value } : o,
                    ),
                  )
                }
                className={clsx(
                  inputClass,
                  "h-9",
                  errorOf("owners").some((e) => e.row === row)
                    ? "border-danger"
                    : "border-line-strong",
                )}
              />
              <input
                data-testid="card-owner-contact"
                aria-label={`Owner ${row + 1} contact`}
                placeholder="risk-ml@example.com (optional)"
                value={owner.contact}
                onChange={(event) =>
                  set(
                    "owners",
                    form.owners.map((o, index) =>
                      index === row ? { ...o, contact: event.target.value } : o,
                    ),
                  )
                }
                className={clsx(inputClass, "h-9 border-line-strong")}
              />
            </div>
          )}
        />
        <RowsField
          idPrefix={ids}
          field="licenses"
          label="Licenses"
          required
          addLabel="Add license"
          hint="An SPDX identifier such as Apache-2.0, or your own terms."
          errors={errorOf("licenses")}
          rows={form.licenses}
          onAdd={() =>
            set("licenses", [...form.licenses, { key: rowKey(), kind: "identifier", value: "" }])
          }
          onRemove={(row) =>
            set(
              "licenses",
              form.licenses.filter((_, index) => index !== row),
            )
          }
          render={(licence, row) => (
            <div className="grid flex-1 gap-2 sm:grid-cols-[11rem_minmax(0,1fr)]">
              <span className="relative block">
                <select
                  id={`${ids}-licenses-${row}`}
                  aria-label={`License ${row + 1} kind`}
                  value={licence.kind}
                  onChange={(event) =>
                    set(
                      "licenses",
                      form.licenses.map((l, index) =>
                        index === row
                          ? { ...l, kind: event.target.value as "identifier" | "customText" }
                          : l,
                      ),
                    )
                  }
                  className={clsx(
                    inputClass,
                    "h-9 cursor-pointer appearance-none border-line-strong pr-8",
                  )}
                >
                  <option value="identifier">SPDX identifier</option>
                  <option value="customText">Custom terms</option>
                </select>
                <ChevronDown
                  className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
                  aria-hidden
                />
              </span>
              <input
                data-testid="card-license-value"
                aria-label={`License ${row + 1}`}
                placeholder={
                  licence.kind === "identifier" ? "Apache-2.0" : "Proprietary, internal use only."
                }
                value={licence.value}
                onChange={(event) =>
                  set(
                    "licenses",
                    form.licenses.map((l, index) =>
                      index === row ? { ...l, value: event.target.value } : l,
                    ),
                  )
                }
                className={clsx(inputClass, "h-9 border-line-strong")}
              />
            </div>
          )}
        />
        {textField("documentation", "Documentation", {
          rows: 2,
          placeholder: "Where the design doc, runbook or dashboards live.",
        })}
        <div className="grid gap-4 md:grid-cols-2">
          {textField("references", "References", { rows: 2, hint: "One link per line." })}
          {textField("citations", "Citations", { rows: 2, hint: "One citation per line." })}
        </div>
      </Section>

      <Section title="Model parameters" tag="Authored">
        {textField("modelArchitecture", "Architecture", {
          placeholder: "Gradient-boosted trees (LightGBM), 400 trees, depth 6",
        })}
        <div className="grid gap-4 md:grid-cols-2">
          {textField("inputFormat", "Input format", {
            rows: 2,
            placeholder: "One application: income, region, …",
          })}
          {textField("outputFormat", "Output format", {
            rows: 2,
            placeholder: "Probability of default within 12 months, 0 to 1.",
          })}
        </div>
      </Section>

      <Section title="Data and performance metrics" tag="From lineage and evaluations">
        <div className="rounded-lg border border-dashed border-line-strong bg-canvas/60 px-4 py-3 text-[13px] text-ink-muted">
          <p>
            Not edited here: the datasets come from this version&apos;s lineage and the metrics from
            its evaluations
            {base
              ? ` (now ${plural(base.content.modelParameters.data.length, "dataset")} and ${plural(
                  base.content.quantitativeAnalysis.performanceMetrics.length,
                  "metric",
                )} on the card)`
              : ""}
            .
          </p>
          <label className="mt-2 flex cursor-pointer items-center gap-2 text-ink">
            <input
              type="checkbox"
              data-testid="card-refresh-evidence"
              checked={refreshEvidence}
              onChange={(event) => setRefreshEvidence(event.target.checked)}
              className="size-3.5 accent-accent"
            />
            Refresh them from lineage and evaluations when I save
          </label>
        </div>
      </Section>

      <Section title="Considerations" tag="Authored">
        <div className="grid gap-4 md:grid-cols-2">
          {textField("users", "Intended users", {
            required: true,
            rows: 3,
            hint: "One per line.",
            placeholder: "Credit officers reviewing applications",
          })}
          {textField("useCases", "Use cases", {
            required: true,
            rows: 3,
            hint: "One per line.",
            placeholder: "Rank applications for manual review",
          })}
          {textField("limitations", "Limitations", {
            required: true,
            rows: 3,
            hint: "One per line.",
            placeholder: "Not validated for business loans",
          })}
          {textField("tradeoffs", "Tradeoffs", {
            rows: 3,
            hint: "One per line.",
            placeholder: "Favours recall over precision at the review threshold",
          })}
        </div>
        <RowsField
          idPrefix={ids}
          field="ethicalConsiderations"
          label="Ethical considerations"
          required
          addLabel="Add consideration"
          errors={errorOf("ethicalConsiderations")}
          rows={form.ethicalConsiderations}
          onAdd={() =>
            set("ethicalConsiderations", [
              ...form.ethicalConsiderations,
              { key: rowKey(), name: "", mitigationStrategy: "" },
            ])
          }
          onRemove={(row) =>
            set(
              "ethicalConsiderations",
              form.ethicalConsiderations.filter((_, index) => index !== row),
            )
          }
          render={(item, row) => {
            const invalid = errorOf("ethicalConsiderations").some((e) => e.row === row);
            const update = (patch: Partial<typeof item>) =>
              set(
                "ethicalConsiderations",
                form.ethicalConsiderations.map((existing, index) =>
                  index === row ? { ...existing, ...patch } : existing,
                ),
              );
            return (
              <div className="grid flex-1 gap-2 sm:grid-cols-[14rem_minmax(0,1fr)]">
                <input
                  id={`${ids}-ethicalConsiderations-${row}`}
                  data-testid="card-ethical-name"
                  aria-label={`Ethical consideration ${row + 1}: risk`}
                  placeholder="Regional disparity"
                  value={item.name}
                  aria-invalid={invalid ? true : undefined}
                  onChange={(event) => update({ name: event.target.value })}
                  className={clsx(
                    inputClass,
                    "h-9",
                    invalid ? "border-danger" : "border-line-strong",
                  )}
                />
                <textarea
                  data-testid="card-ethical-mitigation"
                  aria-label={`Ethical consideration ${row + 1}: mitigation`}
                  placeholder="How it is mitigated: parity ratio by region gated at 0.8."
                  rows={1}
                  value={item.mitigationStrategy}
                  onChange={(event) => update({ mitigationStrategy: event.target.value })}
                  className={clsx(inputClass, "min-h-9 py-2 leading-snug border-line-strong")}
                />
              </div>
            );
          }}
        />
        <div className="max-w-56 space-y-1.5">
          <FieldLabel htmlFor={`${ids}-riskRating`} required>
            Risk rating
          </FieldLabel>
          <span className="relative block">
            <select
              id={`${ids}-riskRating`}
              data-testid="card-field-riskRating"
              value={form.riskRating}
              onChange={(event) => set("riskRating", event.target.value as typeof form.riskRating)}
              className={clsx(
                inputClass,
                "h-9 cursor-pointer appearance-none border-line-strong pr-8",
              )}
            >
              <option value="">Not rated</option>
              {RISK_RATINGS.map((rating) => (
                <option key={rating} value={rating}>
                  {rating}
                </option>
              ))}
            </select>
            <ChevronDown
              className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
              aria-hidden
            />
          </span>
        </div>
      </Section>

      {save.isError ? (
        <div
          role="alert"
          data-testid={conflict ? "card-save-conflict" : "card-save-error"}
          className={clsx(
            "mx-5 mb-4 flex items-start gap-2 rounded-lg border px-3 py-2.5 text-[13px]",
            conflict
              ? "border-amber-200 bg-amber-50 text-amber-900"
              : "border-red-200 bg-danger-soft text-red-800",
          )}
        >
          <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
          <div className="min-w-0 flex-1">
            {conflict ? (
              <>
                <p className="font-medium">Someone else saved this card while you were editing.</p>
                <p className="mt-0.5">
                  {save.error.message} Your text is still in the form: copy what you want to keep,
                  then load the latest card and apply it again.
                </p>
                <Button
                  data-testid="card-load-latest"
                  onClick={() => void loadLatest()}
                  disabled={reloading}
                  variant="secondary"
                  size="sm"
                  className="mt-2"
                >
                  <RotateCw className={clsx("size-3", reloading && "animate-spin")} aria-hidden />
                  Load the latest card (discards your edits)
                </Button>
              </>
            ) : (
              <p className="break-words whitespace-pre-line">{save.error.message}</p>
            )}
          </div>
        </div>
      ) : null}

      <div className="sticky bottom-0 flex flex-wrap items-center gap-2 rounded-b-xl border-t border-line bg-surface/95 px-5 py-3 backdrop-blur">
        <Button type="submit" data-testid="card-save" pending={save.isPending}>
          {base ? "Save card" : "Create card"}
        </Button>
        <Button variant="secondary" data-testid="card-cancel" onClick={cancel}>
          Cancel
        </Button>
        <span className="ml-auto text-xs text-ink-faint">
          {dirty ? "Unsaved changes · " : ""}
          <kbd className="font-sans">Ctrl</kbd>+<kbd className="font-sans">Enter</kbd> saves. A
          draft may leave required fields empty.
        </span>
      </div>
    </form>
  );
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function Section({ title, tag, children }: { title: string; tag: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-4 border-b border-line px-5 py-5 last:border-b-0"
    >
      <h3 id={headingId} className="flex items-center gap-2 text-[13px] font-semibold text-ink">
        {title}
        <Badge tone={tag === "Authored" ? "neutral" : "accent"}>{tag}</Badge>
      </h3>
      {children}
    </section>
  );
}

function FieldLabel({
  htmlFor,
  required,
  children,
}: {
  htmlFor: string;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <label htmlFor={htmlFor} className="flex items-baseline gap-1.5 text-xs font-medium text-ink">
      {children}
      {required ? <RequiredMark /> : null}
    </label>
  );
}

/** Required for a complete card, not for saving: a draft may leave it empty. */
function RequiredMark() {
  return (
    <span
      className="text-[11px] font-normal text-ink-faint"
      title="Required for a complete card; a draft may leave it empty"
    >
      required
    </span>
  );
}

function FieldErrors({ id, errors }: { id: string; errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div id={id} className="space-y-0.5">
      {errors.map((error, index) => (
        <p key={index} className="text-xs text-danger">
          {error.message}
        </p>
      ))}
    </div>
  );
}

/** A list of rows (owners, licences, ethical considerations) with add and remove buttons. */
function RowsField<T extends { key: number }>({
  idPrefix,
  field,
  label,
  required,
  hint,
  addLabel,
  errors,
  rows,
  onAdd,
  onRemove,
  render,
}: {
  idPrefix: string;
  field: FormField;
  label: string;
  required?: boolean;
  hint?: string;
  addLabel: string;
  errors: FieldError[];
  rows: T[];
  onAdd: () => void;
  onRemove: (row: number) => void;
  render: (row: T, index: number) => ReactNode;
}) {
  // The add button carries the field's id: an error about the whole list focuses it.
  const id = `${idPrefix}-${field}`;
  const labelId = `${id}-label`;
  // After the click has rendered the new row, or removed one, put the cursor somewhere useful.
  const focusLater = (target: string) =>
    setTimeout(() => document.getElementById(target)?.focus(), 0);
  return (
    <div role="group" aria-labelledby={labelId} className="space-y-1.5">
      <p id={labelId} className="flex items-baseline gap-1.5 text-xs font-medium text-ink">
        {label}
        {required ? <RequiredMark /> : null}
      </p>
      {hint ? <p className="text-xs text-ink-faint">{hint}</p> : null}
      {rows.length === 0 ? (
        <p className="text-xs text-ink-faint italic">None yet.</p>
      ) : (
        <ul className="space-y-2">
          {rows.map((row, index) => (
            <li key={row.key} className="flex items-start gap-2">
              {render(row, index)}
              <button
                type="button"
                onClick={() => {
                  onRemove(index);
                  focusLater(id);
                }}
                aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
                title="Remove"
                className="grid size-9 shrink-0 place-items-center rounded-lg text-ink-faint hover:bg-canvas hover:text-ink"
              >
                <X className="size-3.5" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldErrors id={`${id}-error`} errors={errors} />
      <Button
        id={id}
        data-testid={`card-${field}-add`}
        onClick={() => {
          onAdd();
          focusLater(`${id}-${rows.length}`);
        }}
        variant="secondary"
        size="sm"
      >
        <Plus className="size-3" aria-hidden />
        {addLabel}
      </Button>
    </div>
  );
}
