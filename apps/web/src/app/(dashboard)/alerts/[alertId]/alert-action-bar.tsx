"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  BellOff,
  Check,
  CircleAlert,
  CircleCheck,
  Clock,
  RefreshCcw,
  UserRound,
} from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import type { RouterOutputs } from "@plumbline/api";

import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName, Field } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

type AlertView = RouterOutputs["alerts"]["get"];

const HOUR_MS = 60 * 60 * 1000;
const SNOOZE_CHOICES = [
  { label: "1 h", hours: 1 },
  { label: "4 h", hours: 4 },
  { label: "24 h", hours: 24 },
] as const;

/** Refreshes the alert, the inbox and the navigation count after an action. */
export function useRefreshAlerts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
}

/** `datetime-local` wants local time without a zone: "2026-12-05T18:30". */
function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function SnoozeDialog({
  open,
  onClose,
  onSnooze,
  pending,
}: {
  open: boolean;
  onClose: () => void;
  onSnooze: (until: Date) => void;
  pending: boolean;
}) {
  const id = useId();
  const [value, setValue] = useState(() => toLocalInput(new Date(Date.now() + 8 * HOUR_MS)));
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const until = new Date(value);
    if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
      setInvalid("Pick a time in the future.");
      return;
    }
    setInvalid(null);
    onSnooze(until);
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Snooze until"
      description="The alert stays open and tells nobody until then; it fires again if the breach continues."
      testId="snooze-dialog"
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Until (your local time)" htmlFor={id} error={invalid}>
          <input
            id={id}
            type="datetime-local"
            value={value}
            data-testid="snooze-until"
            aria-invalid={invalid ? true : undefined}
            onChange={(event) => setValue(event.target.value)}
            className={controlClassName()}
          />
        </Field>
        <Button type="submit" pending={pending} data-testid="snooze-submit">
          Snooze
        </Button>
      </form>
    </Dialog>
  );
}

/**
 * What a person can do to the alert. Rendered only for roles with `alert.acknowledge` (the
 * server's own table decides; its refusal is shown as it comes).
 */
export function AlertActionBar({
  projectSlug,
  view,
  userId,
  canRetrain,
}: {
  projectSlug: string;
  view: AlertView;
  userId: string;
  /** `retraining.trigger`: send the model's retraining request by hand. */
  canRetrain: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAlerts();
  const ownerSelect = useId();
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const options = { onSuccess: () => refresh() };
  const acknowledge = useMutation(trpc.alerts.acknowledge.mutationOptions(options));
  const snooze = useMutation(
    trpc.alerts.snooze.mutationOptions({
      onSuccess: () => {
        setSnoozeOpen(false);
        return refresh();
      },
    }),
  );
  const resolve = useMutation(trpc.alerts.resolve.mutationOptions(options));
  const falseAlarm = useMutation(trpc.alerts.markFalseAlarm.mutationOptions(options));
  const assign = useMutation(trpc.alerts.assign.mutationOptions(options));
  const retrain = useMutation(trpc.retraining.triggerFromAlert.mutationOptions(options));
  const members = useQuery(trpc.alerts.assignees.queryOptions({ projectSlug }));

  const { alert } = view;
  const ref = { projectSlug, alertId: alert.id };
  const open = alert.state !== "resolved";
  const fired = alert.firedAt !== null;
  const failed = [acknowledge, snooze, resolve, falseAlarm, assign, retrain].find((m) => m.isError);

  return (
    <div className="space-y-3" data-testid="alert-actions">
      <div className="flex flex-wrap items-center gap-2">
        {open && fired && alert.state !== "acknowledged" ? (
          <Button
            onClick={() => acknowledge.mutate(ref)}
            pending={acknowledge.isPending}
            icon={<Check className="size-3.5" aria-hidden />}
            data-testid="alert-acknowledge"
          >
            Acknowledge
          </Button>
        ) : null}
        {open && fired ? (
          <div
            className="flex items-center gap-1 rounded-lg border border-line-strong px-1 py-0.5"
            role="group"
            aria-label="Snooze"
          >
            <Clock className="ml-1 size-3.5 text-ink-faint" aria-hidden />
            {SNOOZE_CHOICES.map((choice) => (
              <Button
                key={choice.hours}
                variant="ghost"
                size="sm"
                data-testid={`alert-snooze-${choice.hours}h`}
                disabled={snooze.isPending}
                onClick={() =>
                  snooze.mutate({ ...ref, until: new Date(Date.now() + choice.hours * HOUR_MS) })
                }
              >
                {choice.label}
              </Button>
            ))}
            <Button
              variant="ghost"
              size="sm"
              data-testid="alert-snooze-custom"
              onClick={() => setSnoozeOpen(true)}
            >
              Custom…
            </Button>
          </div>
        ) : null}
        {open ? (
          <Button
            variant="success"
            onClick={() => resolve.mutate(ref)}
            pending={resolve.isPending}
            icon={<CircleCheck className="size-3.5" aria-hidden />}
            data-testid="alert-resolve"
          >
            Resolve
          </Button>
        ) : null}
        {alert.resolution !== "false_alarm" ? (
          <Button
            variant="secondary"
            onClick={() => falseAlarm.mutate(ref)}
            pending={falseAlarm.isPending}
            icon={<BellOff className="size-3.5" aria-hidden />}
            data-testid="alert-false-alarm"
            title="Resolve it and record that it should not have fired: this feeds threshold tuning."
          >
            False alarm
          </Button>
        ) : null}
        {canRetrain ? (
          <Button
            variant="secondary"
            onClick={() => retrain.mutate(ref)}
            pending={retrain.isPending}
            icon={<RefreshCcw className="size-3.5" aria-hidden />}
            data-testid="alert-trigger-retraining"
            title="Send the model's retraining request now, to the channel of its retraining policy."
          >
            {retrain.isSuccess ? "Retraining requested" : "Trigger retraining"}
          </Button>
        ) : null}
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={ownerSelect} className="text-xs font-medium text-ink-muted">
          Owner
        </label>
        <select
          id={ownerSelect}
          data-testid="alert-owner"
          value={alert.ownerId ?? ""}
          disabled={assign.isPending}
          onChange={(event) => assign.mutate({ ...ref, ownerId: event.target.value || null })}
          className={controlClassName({ size: "sm", block: false })}
        >
          <option value="">Unassigned</option>
          {(members.data ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.id === userId ? `${member.name} (you)` : member.name}
            </option>
          ))}
        </select>
        {alert.ownerId !== userId ? (
          <Button
            variant="ghost"
            size="sm"
            icon={<UserRound className="size-3.5" aria-hidden />}
            onClick={() => assign.mutate({ ...ref, ownerId: userId })}
            data-testid="alert-assign-me"
          >
            Assign to me
          </Button>
        ) : null}
      </div>

      {failed?.error ? (
        <p
          className="flex items-start gap-2 rounded-lg bg-danger-soft px-3 py-2 text-xs text-danger"
          role="alert"
          data-testid="alert-action-error"
        >
          <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
          {failed.error.message}
        </p>
      ) : null}

      <SnoozeDialog
        open={snoozeOpen}
        onClose={() => setSnoozeOpen(false)}
        pending={snooze.isPending}
        onSnooze={(until) => snooze.mutate({ ...ref, until })}
      />
    </div>
  );
}
