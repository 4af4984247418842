"use client";

import { useMutation } from "@tanstack/react-query";
import { ShieldAlert } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import { MAX_SELF_SERVICE_CRITICAL_MUTE_MS, type MonitorThreshold } from "@plumbline/contracts";

import { FormActions, FormAlert } from "~/components/form-controls";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName, Field } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Whether the server will hold this mute for an approver: the monitor can go critical and the
 * mute is longer than a day. Shown before submitting; the server decides (services/monitors/mutes).
 */
function needsApproval(threshold: MonitorThreshold, durationMs: number): boolean {
  const critical =
    threshold.kind === "statistical" ||
    (threshold.kind === "band" ? threshold.criticalK !== null : threshold.critical !== null);
  return critical && durationMs > MAX_SELF_SERVICE_CRITICAL_MUTE_MS;
}

function toLocalInput(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function MuteDialog({
  projectSlug,
  monitor,
  canApproveMutes,
  onClose,
  onMuted,
}: {
  projectSlug: string;
  monitor: { id: string; name: string; threshold: MonitorThreshold } | null;
  canApproveMutes: boolean;
  onClose: () => void;
  onMuted: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(Date.now() + 4 * HOUR_MS)));
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const mute = useMutation(
    trpc.monitors.mute.mutationOptions({
      onSuccess: async () => {
        await onMuted();
        setReason("");
        onClose();
      },
    }),
  );
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const duration = end.getTime() - start.getTime();
  const approval =
    monitor !== null && Number.isFinite(duration) && needsApproval(monitor.threshold, duration);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (Number.isNaN(start.getTime())) problems.startsAt = "Pick a start.";
    if (Number.isNaN(end.getTime()) || end <= start)
      problems.endsAt = "The end must come after the start.";
    if (reason.trim() === "") problems.reason = "Say why: it goes into the audit log.";
    setInvalid(problems);
    if (Object.keys(problems).length > 0 || !monitor) return;
    mute.mutate({ projectSlug, monitorId: monitor.id, startsAt: start, endsAt: end, reason });
  };

  return (
    <Dialog
      open={monitor !== null}
      onClose={onClose}
      title={`Mute ${monitor?.name ?? ""}`}
      description="While muted, the monitor still evaluates but raises and notifies nothing."
      testId="mute-dialog"
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="From" htmlFor={`${ids}-start`} error={invalid.startsAt}>
            <input
              id={`${ids}-start`}
              type="datetime-local"
              value={startsAt}
              onChange={(event) => setStartsAt(event.target.value)}
              className={controlClassName()}
              data-testid="mute-start"
            />
          </Field>
          <Field label="Until" htmlFor={`${ids}-end`} error={invalid.endsAt}>
            <input
              id={`${ids}-end`}
              type="datetime-local"
              value={endsAt}
              aria-invalid={invalid.endsAt ? true : undefined}
              onChange={(event) => setEndsAt(event.target.value)}
              className={controlClassName()}
              data-testid="mute-end"
            />
          </Field>
        </div>
        <Field label="Reason" htmlFor={`${ids}-reason`} error={invalid.reason}>
          <input
            id={`${ids}-reason`}
            value={reason}
            maxLength={500}
            aria-invalid={invalid.reason ? true : undefined}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Planned backfill of the income feature"
            className={controlClassName()}
            data-testid="mute-reason"
          />
        </Field>
        {approval ? (
          <p
            className="flex items-start gap-2 rounded-lg bg-warning-soft px-3 py-2 text-xs text-amber-800 dark:text-amber-300"
            data-testid="mute-needs-approval"
          >
            <ShieldAlert className="mt-px size-4 shrink-0" aria-hidden />
            {canApproveMutes
              ? "This monitor can raise critical alerts and the mute is longer than 24 h. As an approver, your mute takes effect at once and is recorded as approved by you."
              : "This monitor can raise critical alerts and the mute is longer than 24 h: it takes effect only once an approver approves it."}
          </p>
        ) : null}
        <FormAlert message={mute.isError ? mute.error.message : null} testId="mute-error" />
        <FormActions
          submitLabel={approval && !canApproveMutes ? "Request mute" : "Mute"}
          submitTestId="mute-submit"
          pending={mute.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
