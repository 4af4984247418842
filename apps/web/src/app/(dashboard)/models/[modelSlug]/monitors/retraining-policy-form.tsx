"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, RefreshCcw } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { FormAlert } from "~/components/form-controls";
import { formatDateTime } from "~/components/format/time";
import { QueryError } from "~/components/query-error";
import { Badge, type BadgeTone } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { controlClassName, Field } from "~/components/ui/field";
import { Skeleton } from "~/components/ui/skeleton";
import { useTRPC } from "~/trpc/react";

type PolicyData = RouterOutputs["retraining"]["getPolicy"];
type Delivery = RouterOutputs["retraining"]["deliveries"][number];

const NEW_CHANNEL = "new";
// The router's bounds.
const COOLDOWN_MAX_MINUTES = 43_200;

interface Draft {
  enabled: boolean;
  monitorIds: string[];
  minSeverity: "warning" | "critical";
  cooldownMinutes: string;
  /** A channel id, or NEW_CHANNEL. */
  channel: string;
  newChannelKind: "webhook" | "slack";
  newChannelUrl: string;
}

function draftOf(data: PolicyData): Draft {
  const policy = data.policy;
  return {
    enabled: policy?.enabled ?? true,
    monitorIds: policy?.monitorIds ?? [],
    minSeverity: policy?.minSeverity ?? "critical",
    cooldownMinutes: String(policy?.cooldownMinutes ?? 360),
    channel: policy?.channelId ?? data.channels[0]?.id ?? NEW_CHANNEL,
    newChannelKind: "webhook",
    newChannelUrl: "",
  };
}

function validate(draft: Draft) {
  const errors: { cooldown?: string; url?: string } = {};
  const cooldown = Number(draft.cooldownMinutes);
  if (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > COOLDOWN_MAX_MINUTES) {
    errors.cooldown = `Enter whole minutes between 0 and ${COOLDOWN_MAX_MINUTES} (30 days).`;
  }
  if (draft.channel === NEW_CHANNEL && !/^https?:\/\/\S+$/i.test(draft.newChannelUrl.trim())) {
    errors.url = "Enter the http(s) URL of your training pipeline's webhook.";
  }
  return errors;
}

const DELIVERY_TONES: Record<string, BadgeTone> = {
  succeeded: "success",
  pending: "canary",
  failed: "danger",
};

/**
 * A model's retraining trigger: which monitors, from which severity, how often at most, and
 * where the request goes; with the recent requests and their delivery status. Engineers edit it
 * (`retraining.trigger`); everyone else reads it.
 */
export function RetrainingPolicyForm({
  projectSlug,
  modelSlug,
  canEdit,
}: {
  projectSlug: string;
  modelSlug: string;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const policy = useQuery(trpc.retraining.getPolicy.queryOptions({ projectSlug, modelSlug }));

  return (
    <Card data-testid="retraining-policy">
      <CardHeader
        title="Retraining trigger"
        description="When an alert of these monitors reaches the severity, Plumbline asks your training pipeline to retrain: once per cool-down, through the same retried, logged delivery as notifications."
      />
      {policy.isPending ? (
        <div className="space-y-3 px-5 py-5" data-testid="retraining-policy-loading">
          <Skeleton className="h-5 w-1/3" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-2/3" />
        </div>
      ) : policy.isError ? (
        <div className="px-5 py-5">
          <QueryError error={policy.error} onRetry={() => void policy.refetch()} />
        </div>
      ) : (
        <PolicyEditor
          // A saved policy resets the draft to what the server holds.
          key={`${policy.data.policy?.updatedAt.toString() ?? "none"}`}
          projectSlug={projectSlug}
          modelSlug={modelSlug}
          data={policy.data}
          canEdit={canEdit}
        />
      )}
      <RetrainingDeliveries projectSlug={projectSlug} modelSlug={modelSlug} />
    </Card>
  );
}

function PolicyEditor({
  projectSlug,
  modelSlug,
  data,
  canEdit,
}: {
  projectSlug: string;
  modelSlug: string;
  data: PolicyData;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(data));
  const [submitted, setSubmitted] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const save = useMutation(
    trpc.retraining.upsertPolicy.mutationOptions({
      onSuccess: async (saved) => {
        setSecret(saved.createdChannelSecret);
        await queryClient.invalidateQueries({ queryKey: trpc.retraining.getPolicy.queryKey() });
      },
    }),
  );
  const errors = submitted ? validate(draft) : {};
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate(draft)).length > 0) return;
    save.mutate({
      projectSlug,
      modelSlug,
      enabled: draft.enabled,
      monitorIds: draft.monitorIds,
      minSeverity: draft.minSeverity,
      cooldownMinutes: Number(draft.cooldownMinutes),
      ...(draft.channel === NEW_CHANNEL
        ? { newChannel: { channel: draft.newChannelKind, url: draft.newChannelUrl.trim() } }
        : { channelId: draft.channel }),
    });
  };

  const lastTriggered = data.policy?.lastTriggeredAt;

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Retraining trigger"
      className="space-y-5 px-5 py-5"
      data-testid="retraining-policy-form"
    >
      {data.policy ? null : (
        <p className="text-[13px] text-ink-muted" data-testid="retraining-policy-empty">
          No retraining trigger yet: alerts of this model only notify people.
        </p>
      )}
      <fieldset disabled={!canEdit} className="space-y-5">
        <label className="flex w-fit cursor-pointer items-center gap-2 text-[13px]">
          <input
            type="checkbox"
            data-testid="retraining-policy-enabled"
            checked={draft.enabled}
            onChange={(event) => set("enabled", event.target.checked)}
            className="size-3.5 accent-accent"
          />
          <span className="font-medium text-ink">Trigger retraining automatically</span>
        </label>

        <div className="grid gap-5 md:grid-cols-2">
          <Field label="From severity" htmlFor={`${ids}-severity`}>
            <select
              id={`${ids}-severity`}
              data-testid="retraining-policy-severity"
              value={draft.minSeverity}
              onChange={(event) => set("minSeverity", event.target.value as Draft["minSeverity"])}
              className={controlClassName()}
            >
              <option value="critical">Critical only</option>
              <option value="warning">Warning and critical</option>
            </select>
          </Field>
          <Field
            label="Cool-down (minutes)"
            htmlFor={`${ids}-cooldown`}
            hint={
              lastTriggered
                ? `Last requested ${formatDateTime(lastTriggered)}.`
                : "At most one request per cool-down."
            }
            error={errors.cooldown}
          >
            <input
              id={`${ids}-cooldown`}
              data-testid="retraining-policy-cooldown"
              inputMode="numeric"
              value={draft.cooldownMinutes}
              onChange={(event) => set("cooldownMinutes", event.target.value)}
              aria-invalid={errors.cooldown ? true : undefined}
              className={controlClassName()}
            />
          </Field>
        </div>

        <fieldset>
          <legend className="text-[13px] font-medium text-ink">Monitors</legend>
          <p className="mt-0.5 text-xs text-ink-muted">None chosen: every monitor of the model.</p>
          {data.monitors.length === 0 ? (
            <p className="mt-2 text-xs text-ink-faint">This model has no monitors yet.</p>
          ) : (
            <div className="mt-2 grid gap-1.5 sm:grid-cols-2 lg:grid-cols-3">
              {data.monitors.map((monitor) => (
                <label
                  key={monitor.id}
                  className="flex cursor-pointer items-center gap-2 text-[13px]"
                >
                  <input
                    type="checkbox"
                    data-testid="retraining-policy-monitor"
                    value={monitor.id}
                    checked={draft.monitorIds.includes(monitor.id)}
                    onChange={(event) =>
                      set(
                        "monitorIds",
                        event.target.checked
                          ? [...draft.monitorIds, monitor.id]
                          : draft.monitorIds.filter((id) => id !== monitor.id),
                      )
                    }
                    className="size-3.5 accent-accent"
                  />
                  <span className="text-ink">{monitor.name}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>

        <div className="grid gap-5 md:grid-cols-2">
          <Field label="Send to" htmlFor={`${ids}-channel`}>
            <select
              id={`${ids}-channel`}
              data-testid="retraining-policy-channel"
              value={draft.channel}
              onChange={(event) => set("channel", event.target.value)}
              className={controlClassName()}
            >
              {data.channels.map((channel) => (
                <option key={channel.id} value={channel.id}>
                  {`${channel.channel === "webhook" ? "Webhook" : channel.channel === "slack" ? "Slack" : "Email"} · ${channel.destination}${channel.description ? ` · ${channel.description}` : ""}${channel.active ? "" : " (paused)"}`}
                </option>
              ))}
              <option value={NEW_CHANNEL}>A new webhook URL…</option>
            </select>
          </Field>
          {draft.channel === NEW_CHANNEL ? (
            <Field
              label="Pipeline webhook URL"
              htmlFor={`${ids}-url`}
              hint="Signed like every Plumbline webhook; the secret is shown once after saving."
              error={errors.url}
            >
              <div className="flex gap-2">
                <select
                  aria-label="Message format"
                  data-testid="retraining-policy-new-kind"
                  value={draft.newChannelKind}
                  onChange={(event) =>
                    set("newChannelKind", event.target.value as Draft["newChannelKind"])
                  }
                  className={controlClassName({ block: false })}
                >
                  <option value="webhook">JSON</option>
                  <option value="slack">Slack</option>
                </select>
                <input
                  id={`${ids}-url`}
                  type="url"
                  inputMode="url"
                  data-testid="retraining-policy-url"
                  value={draft.newChannelUrl}
                  onChange={(event) => set("newChannelUrl", event.target.value)}
                  placeholder="https://ci.example.com/hooks/retrain"
                  aria-invalid={errors.url ? true : undefined}
                  className={controlClassName()}
                />
              </div>
            </Field>
          ) : null}
        </div>
      </fieldset>

      {secret ? (
        <p
          className="flex items-start gap-2 rounded-lg border border-line bg-canvas px-3 py-2.5 text-[13px] text-ink"
          data-testid="retraining-policy-secret"
        >
          <KeyRound className="mt-0.5 size-4 shrink-0 text-ink-muted" aria-hidden />
          <span className="min-w-0">
            The new channel signs its requests with{" "}
            <code className="font-mono text-xs [overflow-wrap:anywhere]">{secret}</code>. Copy it
            now: it is not shown again.
          </span>
        </p>
      ) : null}

      <FormAlert
        testId="retraining-policy-error"
        message={save.isError ? save.error.message : null}
      />
      {canEdit ? (
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} data-testid="retraining-policy-save">
            {data.policy ? "Save trigger" : "Set up trigger"}
          </Button>
          {save.isSuccess && !save.isPending ? (
            <span className="text-xs text-ink-muted" role="status">
              Saved.
            </span>
          ) : null}
        </div>
      ) : (
        <p className="text-xs text-ink-faint" data-testid="retraining-policy-readonly">
          ML engineers, approvers and admins can change the retraining trigger.
        </p>
      )}
    </form>
  );
}

function RetrainingDeliveries({
  projectSlug,
  modelSlug,
}: {
  projectSlug: string;
  modelSlug: string;
}) {
  const trpc = useTRPC();
  const deliveries = useQuery(
    trpc.retraining.deliveries.queryOptions({ projectSlug, modelSlug, limit: 10 }),
  );
  return (
    <div className="border-t border-line px-5 py-4" data-testid="retraining-deliveries">
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-xs font-medium text-ink">Recent requests</h3>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void deliveries.refetch()}
          pending={deliveries.isFetching}
          icon={<RefreshCcw className="size-3" aria-hidden />}
        >
          Refresh
        </Button>
      </div>
      {deliveries.isPending ? (
        <Skeleton className="mt-3 h-16 w-full" />
      ) : deliveries.isError ? (
        <div className="mt-3">
          <QueryError error={deliveries.error} onRetry={() => void deliveries.refetch()} />
        </div>
      ) : deliveries.data.length === 0 ? (
        <p className="mt-2 text-xs text-ink-faint" data-testid="retraining-deliveries-empty">
          No retraining requested yet.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-line">
          {deliveries.data.map((delivery) => (
            <DeliveryRow
              key={`${delivery.outboxEventId}-${delivery.deliveryId ?? ""}`}
              delivery={delivery}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function DeliveryRow({ delivery }: { delivery: Delivery }) {
  const status = delivery.status ?? "not routed";
  return (
    <li
      className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-xs"
      data-testid="retraining-delivery"
      data-status={status}
    >
      <span className="text-ink-muted tabular-nums">{formatDateTime(delivery.requestedAt)}</span>
      <Badge tone={DELIVERY_TONES[status] ?? "neutral"}>{status}</Badge>
      <span className="text-ink-muted">{delivery.manual ? "by hand" : "by policy"}</span>
      <span className="min-w-0 flex-1 truncate text-ink" title={delivery.reason}>
        {delivery.reason}
      </span>
      {delivery.destination ? (
        <span className="font-mono text-[11px] text-ink-faint">{delivery.destination}</span>
      ) : null}
      {delivery.lastError ? (
        <span className="text-danger" title={delivery.lastError}>
          {delivery.lastError}
        </span>
      ) : null}
    </li>
  );
}
