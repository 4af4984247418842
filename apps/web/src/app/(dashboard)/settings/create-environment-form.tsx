"use client";

import { useMutation } from "@tanstack/react-query";
import { clsx } from "clsx";
import { ChevronDown } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { FormActions, FormAlert } from "~/components/form-controls";
import { useTRPC } from "~/trpc/react";

import { ENVIRONMENT_KIND_LABELS, type EnvironmentKind } from "./gate-rule-text";

export type CreatedEnvironment = RouterOutputs["registry"]["createEnvironment"];

// governance's `aliasNameSchema`: an environment's name is the alias a promotion moves.
const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

const inputClass =
  "h-9 w-full rounded-lg border bg-surface px-3 text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15";

function validateName(name: string): string | undefined {
  if (name.length === 0) return "Name the environment, for example staging or production-eu.";
  if (name.length > 63) return "Keep the name to 63 characters.";
  if (!NAME_PATTERN.test(name)) {
    return "Use lowercase letters, digits, - and _, starting with a letter: the name is also the alias a promotion moves.";
  }
  return undefined;
}

/** The "Add environment" form (admins). A new environment starts with its kind's default policy. */
export function CreateEnvironmentForm({
  projectSlug,
  onCreated,
  onCancel,
}: {
  projectSlug: string;
  onCreated: (created: CreatedEnvironment) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<EnvironmentKind>("staging");
  const [isProtected, setProtected] = useState(true);
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.registry.createEnvironment.mutationOptions({ onSuccess: onCreated }),
  );

  const nameError = submitted ? validateName(name.trim()) : undefined;
  // Staging and production start protected; only an admin's audited change turns that off later.
  const alwaysProtected = kind !== "development";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (validateName(name.trim())) return;
    create.mutate({
      projectSlug,
      name: name.trim(),
      kind,
      protected: alwaysProtected || isProtected,
    });
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Add an environment"
      className="space-y-5 border-b border-line bg-canvas/60 px-5 py-5"
      data-testid="environment-create-form"
    >
      <div className="grid gap-5 md:grid-cols-[minmax(0,1fr)_12rem]">
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-name`} className="block text-xs font-medium text-ink">
            Name
          </label>
          <input
            id={`${ids}-name`}
            data-testid="environment-create-name"
            // The form opens on request, so the first field is where the user means to type.
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="production-eu"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${ids}-name-error` : `${ids}-name-hint`}
            className={clsx(
              inputClass,
              "font-mono",
              nameError ? "border-danger" : "border-line-strong",
            )}
          />
          {nameError ? (
            <p id={`${ids}-name-error`} className="text-xs text-danger">
              {nameError}
            </p>
          ) : (
            <p id={`${ids}-name-hint`} className="text-xs text-ink-muted">
              Also the alias a completed promotion points at the version.
            </p>
          )}
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-kind`} className="block text-xs font-medium text-ink">
            Kind
          </label>
          <span className="relative block">
            <select
              id={`${ids}-kind`}
              data-testid="environment-create-kind"
              value={kind}
              onChange={(event) => setKind(event.target.value as EnvironmentKind)}
              className={clsx(inputClass, "cursor-pointer appearance-none border-line-strong pr-8")}
            >
              {Object.entries(ENVIRONMENT_KIND_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <ChevronDown
              className="pointer-events-none absolute top-1/2 right-2.5 size-3.5 -translate-y-1/2 text-ink-faint"
              aria-hidden
            />
          </span>
          <p className="text-xs text-ink-muted">Sets its default policy and rules.</p>
        </div>
      </div>

      <label className="flex w-fit cursor-pointer items-start gap-2 text-[13px]">
        <input
          type="checkbox"
          data-testid="environment-create-protected"
          checked={alwaysProtected || isProtected}
          disabled={alwaysProtected}
          onChange={(event) => setProtected(event.target.checked)}
          className="mt-0.5 size-3.5 accent-accent"
        />
        <span>
          <span className="font-medium text-ink">Protected</span>
          <span className="block text-xs text-ink-muted">
            Its alias moves only through an approved promotion, or an admin’s audited break-glass.
            {alwaysProtected ? ` A ${kind} environment always starts protected.` : ""}
          </span>
        </span>
      </label>

      <FormAlert
        testId="environment-create-error"
        message={create.isError ? create.error.message : null}
      />

      <FormActions
        submitLabel="Add environment"
        submitTestId="environment-create-submit"
        pending={create.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
