"use client";

import {
  ClassLabels,
  FEATURE_TYPES,
  ModelSchema,
  modelSchemaOf,
  schemaFeaturesOf,
  type FeatureSchemaMap,
  type SchemaFeature,
} from "@plumbline/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";

import { FormActions, FormAlert } from "~/components/form-controls";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { controlClassName, Field } from "~/components/ui/field";
import { Table, TableCell, TableHead, TableHeaderCell, TableRow } from "~/components/ui/table";
import { useTRPC } from "~/trpc/react";

interface Props {
  projectSlug: string;
  modelSlug: string;
  version: string;
  featureSchema: FeatureSchemaMap;
  /** The model's default class labels: kept as they are when the features are saved. */
  modelClassLabels: ClassLabels | null;
  /** This version's class labels. */
  classLabels: ClassLabels | null;
  /** Class labels can change only while the version is registering. */
  versionEditable: boolean;
  canEdit: boolean;
}

/** `name type [position]`, one feature a line: what the features textarea holds. */
function featuresText(features: readonly SchemaFeature[]): string {
  return features
    .map((f) => [f.name, f.type, f.position === undefined ? "" : String(f.position)].join(" "))
    .map((line) => line.trim())
    .join("\n");
}

/** The textarea's lines as a schema, or the first problem in words (with its line number). */
function parseFeatures(text: string): { features: SchemaFeature[] } | { error: string } {
  const features: Record<string, unknown>[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const [name, type, position, extra] = line.split(/\s+/);
    if (extra !== undefined || type === undefined) {
      return { error: `Line ${index + 1}: write "name type" or "name type position".` };
    }
    if (position !== undefined && !/^\d+$/.test(position)) {
      return { error: `Line ${index + 1}: the position must be a whole number from 0.` };
    }
    features.push({
      name,
      type,
      ...(position === undefined ? {} : { position: Number(position) }),
    });
  }
  const parsed = ModelSchema.safeParse({ features });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const row = typeof issue.path[1] === "number" ? issue.path[1] : null;
    return { error: `${row === null ? "" : `Feature ${row + 1}: `}${issue.message}` };
  }
  return { features: parsed.data.features };
}

/**
 * The model's schema on the version page: its features (name, type, column in positional
 * payloads) and this version's class labels, each with a keyboard-friendly form for people
 * who may register models. Ingest names KServe / Seldon inputs and class indices with them.
 */
export function ModelSchemaPanel(props: Props) {
  const { projectSlug, modelSlug, version, featureSchema, modelClassLabels, classLabels } = props;
  const trpc = useTRPC();
  const ids = useId();
  const queryClient = useQueryClient();
  const features = schemaFeaturesOf(featureSchema);
  const [editing, setEditing] = useState<"features" | "classes" | null>(null);
  const [featureDraft, setFeatureDraft] = useState("");
  const [classDraft, setClassDraft] = useState("");
  const [positiveDraft, setPositiveDraft] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.registry.version.pathKey() });
    setEditing(null);
  };
  const saveSchema = useMutation(
    trpc.registry.setModelSchema.mutationOptions({ onSuccess: refresh }),
  );
  const saveClasses = useMutation(
    trpc.registry.setVersionClassLabels.mutationOptions({ onSuccess: refresh }),
  );
  const draftLabels = classDraft
    .split(",")
    .map((label) => label.trim())
    .filter((label) => label !== "");

  const startFeatures = () => {
    setFeatureDraft(featuresText(features));
    setInvalid(null);
    saveSchema.reset();
    setEditing("features");
  };
  const startClasses = () => {
    setClassDraft(classLabels?.labels.join(", ") ?? "");
    setPositiveDraft(classLabels?.positive ?? "");
    setInvalid(null);
    saveClasses.reset();
    setEditing("classes");
  };

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === "Escape") setEditing(null);
  };

  const submitFeatures = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseFeatures(featureDraft);
    if ("error" in parsed) return setInvalid(parsed.error);
    setInvalid(null);
    saveSchema.mutate({
      projectSlug,
      modelSlug,
      schema: {
        ...modelSchemaOf({ featureSchema, classLabels: modelClassLabels }),
        features: parsed.features,
      },
    });
  };

  const submitClasses = (event: FormEvent) => {
    event.preventDefault();
    if (draftLabels.length === 0) {
      setInvalid(null);
      return saveClasses.mutate({ projectSlug, modelSlug, version, classLabels: null });
    }
    const parsed = ClassLabels.safeParse({
      labels: draftLabels,
      positive: positiveDraft === "" ? null : positiveDraft,
    });
    if (!parsed.success) return setInvalid(parsed.error.issues[0]!.message);
    setInvalid(null);
    saveClasses.mutate({ projectSlug, modelSlug, version, classLabels: parsed.data });
  };

  return (
    <Card data-testid="model-schema-panel">
      <CardHeader
        title="Schema"
        description="Names positional inputs (KServe instances, V2 tensors, Seldon ndarray) and class indices at ingest."
      />
      {editing === "features" ? (
        <form
          onSubmit={submitFeatures}
          onKeyDown={cancelOnEscape}
          noValidate
          className="space-y-3 px-5 py-4"
        >
          <Field
            label="Features"
            htmlFor={`${ids}-features`}
            hint={`One a line: name type [position]. Types: ${FEATURE_TYPES.join(", ")}. The position is the column in positional payloads, from 0.`}
            error={invalid}
          >
            <textarea
              id={`${ids}-features`}
              data-testid="schema-features-input"
              rows={Math.min(14, Math.max(4, features.length + 2))}
              value={featureDraft}
              onChange={(event) => setFeatureDraft(event.target.value)}
              aria-invalid={invalid ? true : undefined}
              className={`${controlClassName({ size: "auto" })} font-mono`}
              placeholder={"sepal_length numeric 0\nsepal_width numeric 1"}
              autoFocus
            />
          </Field>
          <FormAlert message={saveSchema.error?.message ?? null} testId="schema-error" />
          <FormActions
            submitLabel="Save features"
            submitTestId="schema-features-save"
            pending={saveSchema.isPending}
            onCancel={() => setEditing(null)}
          />
        </form>
      ) : (
        <div className="px-5 py-3">
          {features.length === 0 ? (
            <p className="text-[13px] text-ink-muted" data-testid="schema-no-features">
              No features registered: positional inputs are stored as x0, x1, …
            </p>
          ) : (
            <Table data-testid="schema-features">
              <TableHead>
                <tr>
                  <TableHeaderCell>Feature</TableHeaderCell>
                  <TableHeaderCell>Type</TableHeaderCell>
                  <TableHeaderCell numeric>Column</TableHeaderCell>
                </tr>
              </TableHead>
              <tbody>
                {features.map((feature) => (
                  <TableRow key={feature.name}>
                    <TableCell className="font-mono text-xs">{feature.name}</TableCell>
                    <TableCell>{feature.type}</TableCell>
                    <TableCell numeric>{feature.position ?? "–"}</TableCell>
                  </TableRow>
                ))}
              </tbody>
            </Table>
          )}
          {props.canEdit && editing === null ? (
            <Button
              variant="secondary"
              size="sm"
              className="mt-3"
              onClick={startFeatures}
              data-testid="schema-features-edit"
            >
              Edit features
            </Button>
          ) : null}
        </div>
      )}
      <div className="border-t border-line px-5 py-3">
        {editing === "classes" ? (
          <form
            onSubmit={submitClasses}
            onKeyDown={cancelOnEscape}
            noValidate
            className="space-y-3"
          >
            <Field
              label="Class labels"
              htmlFor={`${ids}-classes`}
              hint="In index order, separated by commas: the first names class 0. Empty clears them."
              error={invalid}
            >
              <input
                id={`${ids}-classes`}
                data-testid="schema-classes-input"
                value={classDraft}
                onChange={(event) => setClassDraft(event.target.value)}
                aria-invalid={invalid ? true : undefined}
                className={controlClassName()}
                placeholder="setosa, versicolor, virginica"
                autoFocus
              />
            </Field>
            <Field
              label="Positive class"
              htmlFor={`${ids}-positive`}
              hint="For a binary model whose single score is the probability of one class."
            >
              <select
                id={`${ids}-positive`}
                data-testid="schema-positive-input"
                value={positiveDraft}
                onChange={(event) => setPositiveDraft(event.target.value)}
                disabled={draftLabels.length !== 2}
                className={controlClassName()}
              >
                <option value="">None</option>
                {draftLabels.length === 2
                  ? draftLabels.map((label) => (
                      <option key={label} value={label}>
                        {label}
                      </option>
                    ))
                  : null}
              </select>
            </Field>
            <FormAlert message={saveClasses.error?.message ?? null} testId="schema-classes-error" />
            <FormActions
              submitLabel="Save class labels"
              submitTestId="schema-classes-save"
              pending={saveClasses.isPending}
              onCancel={() => setEditing(null)}
            />
          </form>
        ) : (
          <div
            className="flex flex-wrap items-center gap-1.5 text-[13px]"
            data-testid="schema-classes"
          >
            <span className="mr-1 text-ink-faint">Class labels</span>
            {classLabels ? (
              classLabels.labels.map((label, index) => (
                <Badge key={label} tone={label === classLabels.positive ? "accent" : "neutral"}>
                  <span className="text-ink-faint">{index}</span> {label}
                  {label === classLabels.positive ? " (positive)" : ""}
                </Badge>
              ))
            ) : (
              <span className="text-ink-muted">none: class indices are stored as numbers</span>
            )}
            {props.canEdit && props.versionEditable && editing === null ? (
              <Button
                variant="secondary"
                size="sm"
                className="ml-auto"
                onClick={startClasses}
                data-testid="schema-classes-edit"
              >
                Edit class labels
              </Button>
            ) : null}
          </div>
        )}
      </div>
    </Card>
  );
}
