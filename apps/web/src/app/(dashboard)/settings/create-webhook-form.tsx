"use client";

import { useMutation } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useId, useState, type FormEvent } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { FormActions, FormAlert } from "~/components/form-controls";
import { useTRPC } from "~/trpc/react";

import { WEBHOOK_CHANNEL_ORDER, WEBHOOK_CHANNELS, type WebhookChannel } from "./webhook-channel";
import {
  ALL_EVENTS,
  WEBHOOK_EVENT_GROUPS,
  WEBHOOK_EVENTS,
  type WebhookEventType,
} from "./webhook-event-types";

export type CreatedWebhook = RouterOutputs["webhooks"]["create"];

// The router's limits.
const URL_MAX = 2000;
const DESCRIPTION_MAX = 500;

const inputClass =
  "h-9 w-full rounded-lg border bg-surface px-3 text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15";

interface FieldErrors {
  url?: string;
  description?: string;
  events?: string;
}

// Deliberately plain, like the server's check: one @, a dot in the domain, no spaces.
const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** The addresses typed in the recipients field (commas, semicolons or spaces between them). */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter((address) => address !== "");
}

function validate(
  channel: WebhookChannel,
  url: string,
  description: string,
  allEvents: boolean,
  events: string[],
) {
  const errors: FieldErrors = {};
  const trimmed = url.trim();
  if (channel === "email") {
    const recipients = recipientsOf(trimmed);
    const invalid = recipients.find((address) => !EMAIL.test(address));
    if (recipients.length === 0) errors.url = "Enter at least one email address.";
    else if (invalid) errors.url = `"${invalid}" is not an email address.`;
    else if (recipients.length > 20) errors.url = "Send to at most 20 addresses.";
  } else if (trimmed.length === 0) errors.url = "Enter the URL that receives the deliveries.";
  else if (trimmed.length > URL_MAX) errors.url = `Keep the URL to ${URL_MAX} characters.`;
  else if (!isHttpUrl(trimmed)) {
    errors.url =
      channel === "slack"
        ? "Enter the incoming-webhook URL, for example https://hooks.slack.com/services/…"
        : "Enter a full http(s) URL, for example https://hooks.example.com/plumbline.";
  }
  if (description.trim().length > DESCRIPTION_MAX) {
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters.`;
  }
  if (!allEvents && events.length === 0) {
    errors.events = "Choose at least one event, or all events.";
  }
  return errors;
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.host !== "";
  } catch {
    return false;
  }
}

/** The "Add webhook" form; calls `onCreated` with the signing secret, which the caller shows once. */
export function CreateWebhookForm({
  projectSlug,
  onCreated,
  onCancel,
}: {
  projectSlug: string;
  onCreated: (created: CreatedWebhook) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const [channel, setChannel] = useState<WebhookChannel>("webhook");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [allEvents, setAllEvents] = useState(false);
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: onCreated }));

  const errors = submitted ? validate(channel, url, description, allEvents, events) : {};

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate(channel, url, description, allEvents, events)).length > 0) return;
    create.mutate({
      projectSlug,
      channel,
      url: channel === "email" ? `mailto:${recipientsOf(url).join(",")}` : url.trim(),
      eventTypes: allEvents ? [ALL_EVENTS] : events,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
  };

  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((current) =>
      on
        ? [...current.filter((existing) => existing !== type), type]
        : current.filter((x) => x !== type),
    );

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Add a webhook"
      className="space-y-5 border-b border-line bg-canvas/60 px-5 py-5"
      data-testid="webhook-create-form"
    >
      <fieldset>
        <legend className="text-xs font-medium text-ink">Channel</legend>
        <div className="mt-2 grid gap-2 md:grid-cols-3" role="radiogroup">
          {WEBHOOK_CHANNEL_ORDER.map((option) => (
            <label
              key={option}
              className={clsx(
                "flex cursor-pointer items-start gap-2 rounded-lg border px-3 py-2.5 text-[13px] transition",
                channel === option
                  ? "border-accent bg-accent-soft/40"
                  : "border-line-strong bg-surface hover:border-accent/60",
              )}
            >
              <input
                type="radio"
                name={`${ids}-channel`}
                value={option}
                data-testid="webhook-create-channel"
                checked={channel === option}
                onChange={() => {
                  setChannel(option);
                  setUrl("");
                }}
                className="mt-0.5 size-3.5 accent-accent"
              />
              <span className="min-w-0">
                <span className="block font-medium text-ink">{WEBHOOK_CHANNELS[option].label}</span>
                <span className="block text-xs text-ink-muted">
                  {WEBHOOK_CHANNELS[option].description}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-5 md:grid-cols-2">
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-url`} className="block text-xs font-medium text-ink">
            {channel === "email"
              ? "Recipients"
              : channel === "slack"
                ? "Incoming-webhook URL"
                : "Endpoint URL"}
          </label>
          <input
            id={`${ids}-url`}
            type={channel === "email" ? "text" : "url"}
            inputMode={channel === "email" ? "email" : "url"}
            data-testid="webhook-create-url"
            // The form opens on request, so the first field is where the user means to type.
            autoFocus
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder={
              channel === "email"
                ? "ml-oncall@example.com, risk@example.com"
                : channel === "slack"
                  ? "https://hooks.slack.com/services/T000/B000/XXXX"
                  : "https://hooks.example.com/plumbline"
            }
            aria-invalid={errors.url ? true : undefined}
            aria-describedby={errors.url ? `${ids}-url-error` : undefined}
            className={clsx(inputClass, errors.url ? "border-danger" : "border-line-strong")}
          />
          {errors.url ? (
            <p id={`${ids}-url-error`} className="text-xs text-danger">
              {errors.url}
            </p>
          ) : null}
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-description`} className="block text-xs font-medium text-ink">
            Description <span className="font-normal text-ink-faint">(optional)</span>
          </label>
          <input
            id={`${ids}-description`}
            data-testid="webhook-create-description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            placeholder="Deploy bot in #ml-releases"
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? `${ids}-description-error` : undefined}
            className={clsx(
              inputClass,
              errors.description ? "border-danger" : "border-line-strong",
            )}
          />
          {errors.description ? (
            <p id={`${ids}-description-error`} className="text-xs text-danger">
              {errors.description}
            </p>
          ) : null}
        </div>
      </div>

      <fieldset aria-describedby={errors.events ? `${ids}-events-error` : undefined}>
        <legend className="text-xs font-medium text-ink">Events</legend>
        <p className="mt-0.5 text-xs text-ink-muted">
          {channel === "webhook"
            ? "Each event is posted as JSON, signed, and retried with backoff until the endpoint answers 2xx."
            : "Each event is sent as a readable message and retried with backoff until it is accepted. Monitors route alerts to a channel by severity whatever it subscribes to here."}
        </p>
        <label className="mt-2 flex w-fit cursor-pointer items-center gap-2 text-[13px]">
          <input
            type="checkbox"
            data-testid="webhook-create-all-events"
            checked={allEvents}
            onChange={(event) => setAllEvents(event.target.checked)}
            className="size-3.5 accent-accent"
          />
          <span className="font-medium text-ink">All events</span>
          <span className="text-xs text-ink-muted">including ones added later</span>
        </label>
        <div className="mt-3 grid gap-x-6 gap-y-4 lg:grid-cols-3">
          {WEBHOOK_EVENT_GROUPS.map(({ group, types }) => (
            <div key={group}>
              <div className="text-[11px] font-medium tracking-wider text-ink-faint uppercase">
                {group}
              </div>
              <div className="mt-1.5 space-y-1.5">
                {types.map((type) => (
                  <label
                    key={type}
                    className={clsx(
                      "flex items-start gap-2 text-[13px]",
                      allEvents ? "cursor-default opacity-60" : "cursor-pointer",
                    )}
                  >
                    <input
                      type="checkbox"
                      data-testid="webhook-create-event"
                      value={type}
                      // "All events" covers every box; they show it without being editable.
                      checked={allEvents || events.includes(type)}
                      disabled={allEvents}
                      onChange={(event) => toggle(type, event.target.checked)}
                      className="mt-0.5 size-3.5 accent-accent"
                    />
                    <span className="min-w-0">
                      <span className="block font-mono text-xs text-ink">{type}</span>
                      <span className="block text-xs text-ink-muted">
                        {WEBHOOK_EVENTS[type].description}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            </div>
          ))}
        </div>
        {errors.events ? (
          <p id={`${ids}-events-error`} className="mt-2 text-xs text-danger">
            {errors.events}
          </p>
        ) : null}
      </fieldset>

      <FormAlert
        testId="webhook-create-error"
        message={create.isError ? create.error.message : null}
      />

      <FormActions
        submitLabel="Add webhook"
        submitTestId="webhook-create-submit"
        pending={create.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
