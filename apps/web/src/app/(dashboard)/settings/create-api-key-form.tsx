"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { ChevronDown } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import type { RouterOutputs } from "@plumbline/api";
import type { ApiKeyScope } from "@plumbline/db/schema";

import { FormActions, FormAlert } from "~/components/form-controls";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

import {
  API_KEY_SCOPE_DESCRIPTIONS,
  API_KEY_SCOPE_ORDER,
  DEFAULT_API_KEY_SCOPES,
} from "./api-key-scopes";

export type CreatedApiKey = RouterOutputs["apiKeys"]["create"];

const EXPIRY_CHOICES = [
  { value: "never", label: "Never", days: null },
  { value: "30", label: "In 30 days", days: 30 },
  { value: "90", label: "In 90 days", days: 90 },
  { value: "365", label: "In 365 days", days: 365 },
] as const;

const NAME_MAX = 100;

const inputClass =
  "h-9 w-full rounded-lg border bg-surface px-3 text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15";

interface FieldErrors {
  name?: string;
  scopes?: string;
  models?: string;
}

function validate(name: string, scopes: ApiKeyScope[], models: string[] | null): FieldErrors {
  const errors: FieldErrors = {};
  const trimmed = name.trim();
  if (trimmed.length === 0)
    errors.name = "Name the key, for example after the service that uses it.";
  else if (trimmed.length > NAME_MAX) errors.name = `Keep the name to ${NAME_MAX} characters.`;
  if (scopes.length === 0) errors.scopes = "Choose at least one scope.";
  if (models !== null && models.length === 0) {
    errors.models = "Choose at least one model, or allow all models.";
  }
  return errors;
}

/** The "Create key" form; calls `onCreated` with the token, which the caller shows once. */
export function CreateApiKeyForm({
  projectSlug,
  onCreated,
  onCancel,
}: {
  projectSlug: string;
  onCreated: (created: CreatedApiKey) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const projectModels = useQuery(trpc.models.list.queryOptions({ projectSlug }));
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(DEFAULT_API_KEY_SCOPES);
  // null: every model of the project, now and later.
  const [models, setModels] = useState<string[] | null>(null);
  const [expiry, setExpiry] = useState<(typeof EXPIRY_CHOICES)[number]["value"]>("never");
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: onCreated }));

  const errors = submitted ? validate(name, scopes, models) : {};

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate(name, scopes, models)).length > 0) return;
    create.mutate({
      projectSlug,
      name: name.trim(),
      scopes,
      modelAllowList: models,
      expiresInDays: EXPIRY_CHOICES.find((choice) => choice.value === expiry)?.days ?? null,
    });
  };

  const toggle = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...list.filter((existing) => existing !== item), item] : list.filter((x) => x !== item);

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Create an API key"
      className="space-y-5 border-b border-line bg-canvas/60 px-5 py-5"
      data-testid="api-key-create-form"
    >
      <div className="grid gap-5 md:grid-cols-[minmax(0,1fr)_12rem]">
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-name`} className="block text-xs font-medium text-ink">
            Name
          </label>
          <input
            id={`${ids}-name`}
            data-testid="api-key-create-name"
            // The form opens on request, so the first field is where the user means to type.
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="credit-risk inference service"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `${ids}-name-error` : undefined}
            className={clsx(inputClass, errors.name ? "border-danger" : "border-line-strong")}
          />
          {errors.name ? (
            <p id={`${ids}-name-error`} className="text-xs text-danger">
              {errors.name}
            </p>
          ) : null}
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-expiry`} className="block text-xs font-medium text-ink">
            Expires
          </label>
          <span className="relative block">
            <select
              id={`${ids}-expiry`}
              data-testid="api-key-create-expiry"
              value={expiry}
              onChange={(event) => setExpiry(event.target.value as typeof expiry)}
              className={clsx(inputClass, "cursor-pointer appearance-none border-line-strong pr-8")}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            <ChevronDown
              className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
              aria-hidden
            />
          </span>
        </div>
      </div>

      <fieldset aria-describedby={errors.scopes ? `${ids}-scopes-error` : undefined}>
        <legend className="text-xs font-medium text-ink">Scopes</legend>
        <p className="mt-0.5 text-xs text-ink-muted">
          Grant only what the service needs. No key can approve a promotion.
        </p>
        <div className="mt-2 grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
          {API_KEY_SCOPE_ORDER.map((scope) => (
            <label key={scope} className="flex cursor-pointer items-start gap-2 text-[13px]">
              <input
                type="checkbox"
                data-testid="api-key-create-scope"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(event) => setScopes(toggle(scopes, scope, event.target.checked))}
                className="mt-0.5 size-3.5 accent-accent"
              />
              <span>
                <span className="font-mono text-xs text-ink">{scope}</span>
                <span className="ml-2 text-xs text-ink-muted">
                  {API_KEY_SCOPE_DESCRIPTIONS[scope]}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errors.scopes ? (
          <p id={`${ids}-scopes-error`} className="mt-1.5 text-xs text-danger">
            {errors.scopes}
          </p>
        ) : null}
      </fieldset>

      <fieldset aria-describedby={errors.models ? `${ids}-models-error` : undefined}>
        <legend className="text-xs font-medium text-ink">Models</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-1.5 text-[13px]">
          <label className="flex cursor-pointer items-center gap-2">
            <input
              type="radio"
              name={`${ids}-models`}
              data-testid="api-key-create-all-models"
              checked={models === null}
              onChange={() => setModels(null)}
              className="size-3.5 accent-accent"
            />
            All models, including ones added later
          </label>
          <label className="flex cursor-pointer items-center gap-2">
            <input
              type="radio"
              name={`${ids}-models`}
              data-testid="api-key-create-some-models"
              checked={models !== null}
              onChange={() => setModels([])}
              className="size-3.5 accent-accent"
            />
            Only the models I choose
          </label>
        </div>
        {models !== null ? (
          <div className="mt-2 rounded-lg border border-line bg-surface px-3 py-2.5">
            {projectModels.isPending ? (
              <Skeleton className="h-5 w-48" />
            ) : projectModels.isError ? (
              <p className="text-xs text-danger">
                Could not load the models: {projectModels.error.message}
              </p>
            ) : projectModels.data.length === 0 ? (
              <p className="text-xs text-ink-muted">This project has no models yet.</p>
            ) : (
              <div className="flex flex-wrap gap-x-5 gap-y-1.5">
                {projectModels.data.map((model) => (
                  <label
                    key={model.slug}
                    className="flex cursor-pointer items-center gap-2 text-[13px]"
                  >
                    <input
                      type="checkbox"
                      data-testid="api-key-create-model"
                      value={model.slug}
                      checked={models.includes(model.slug)}
                      onChange={(event) =>
                        setModels(toggle(models, model.slug, event.target.checked))
                      }
                      className="size-3.5 accent-accent"
                    />
                    {model.name}
                    <span className="font-mono text-xs text-ink-faint">{model.slug}</span>
                  </label>
                ))}
              </div>
            )}
          </div>
        ) : null}
        {errors.models ? (
          <p id={`${ids}-models-error`} className="mt-1.5 text-xs text-danger">
            {errors.models}
          </p>
        ) : null}
      </fieldset>

      <FormAlert
        testId="api-key-create-error"
        message={create.isError ? create.error.message : null}
      />

      <FormActions
        submitLabel="Create key"
        submitTestId="api-key-create-submit"
        pending={create.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
