"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import { Check, CircleAlert, Rocket, ShieldAlert, X } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { useTRPC } from "~/trpc/react";

const textareaClass =
  "block w-full rounded-lg border bg-surface px-3 py-2 text-[13px] text-ink shadow-card outline-none placeholder:text-ink-faint focus:border-accent focus:ring-2 focus:ring-accent/20";
/** Refreshes the request and every list that counts it (inbox, nav badge, registry). */
function useRefreshPromotion() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.promotions.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
    ]);
}

function ErrorLine({ message }: { message: string }) {
  return (
    <p
      className="flex items-start gap-2 rounded-lg bg-danger-soft px-3 py-2 text-xs text-danger"
      role="alert"
      data-testid="decision-error"
    >
      <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
      {message}
    </p>
  );
}

/**
 * Approve or reject, each with a comment. Shown only to approvers who are not the requester nor
 * the version's creator; the server checks eligibility again and its refusal is shown as is.
 */
export function DecisionPanel({
  projectSlug,
  requestId,
  artifactDigest,
}: {
  projectSlug: string;
  requestId: string;
  artifactDigest: string;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const refresh = useRefreshPromotion();
  const [decision, setDecision] = useState<"approve" | "reject" | null>(null);
  const [comment, setComment] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const approve = useMutation(trpc.promotions.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.promotions.reject.mutationOptions({ onSuccess: refresh }));
  const mutation = decision === "reject" ? reject : approve;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (comment.trim().length < 3) {
      setInvalid("Say why in a comment (at least a few words): it goes into the audit log.");
      return;
    }
    setInvalid(null);
    mutation.mutate({ projectSlug, requestId, comment: comment.trim(), artifactDigest });
  };

  return (
    <Card data-testid="decision-panel">
      <CardHeader title="Your decision" description="Bound to the artifact digest you reviewed." />
      <div className="space-y-3 px-5 py-4">
        <div className="flex gap-2">
          <button
            type="button"
            data-testid="approve-button"
            aria-pressed={decision === "approve"}
            onClick={() => setDecision("approve")}
            className={clsx(
              "inline-flex h-8 flex-1 items-center justify-center gap-1.5 rounded-lg border text-[13px] font-medium transition",
              decision === "approve"
                ? "border-emerald-600 bg-emerald-50 text-emerald-800"
                : "border-line-strong text-ink hover:bg-canvas",
            )}
          >
            <Check className="size-3.5" aria-hidden />
            Approve
          </button>
          <button
            type="button"
            data-testid="reject-button"
            aria-pressed={decision === "reject"}
            onClick={() => setDecision("reject")}
            className={clsx(
              "inline-flex h-8 flex-1 items-center justify-center gap-1.5 rounded-lg border text-[13px] font-medium transition",
              decision === "reject"
                ? "border-red-600 bg-red-50 text-red-800"
                : "border-line-strong text-ink hover:bg-canvas",
            )}
          >
            <X className="size-3.5" aria-hidden />
            Reject
          </button>
        </div>
        {decision ? (
          <form onSubmit={submit} className="space-y-2" noValidate>
            <label htmlFor={`${ids}-comment`} className="block text-xs font-medium text-ink">
              Comment (required)
            </label>
            <textarea
              id={`${ids}-comment`}
              data-testid="decision-comment"
              rows={3}
              autoFocus
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              aria-invalid={invalid ? true : undefined}
              placeholder={
                decision === "approve"
                  ? "Reviewed holdout and fairness; AUC improves, no group regresses."
                  : "What must change before this can serve?"
              }
              className={clsx(textareaClass, invalid ? "border-danger" : "border-line-strong")}
            />
            {invalid ? <p className="text-xs text-danger">{invalid}</p> : null}
            {mutation.isError ? <ErrorLine message={mutation.error.message} /> : null}
            <Button
              type="submit"
              data-testid="decision-submit"
              pending={mutation.isPending}
              variant={decision === "approve" ? "success" : "danger"}
            >
              {decision === "approve" ? "Submit approval" : "Submit rejection"}
            </Button>
          </form>
        ) : null}
      </div>
    </Card>
  );
}

/** An approved request is deployed on purpose: this moves the alias to the candidate. */
export function DeployPanel({
  projectSlug,
  requestId,
}: {
  projectSlug: string;
  requestId: string;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshPromotion();
  const deploy = useMutation(trpc.promotions.deploy.mutationOptions({ onSuccess: refresh }));
  return (
    <Card className="space-y-3 px-5 py-4">
      <p className="text-[13px] text-ink-muted">
        Approved. Deploying moves the alias to this version.
      </p>
      {deploy.isError ? <ErrorLine message={deploy.error.message} /> : null}
      <Button
        data-testid="deploy-button"
        onClick={() => deploy.mutate({ projectSlug, requestId })}
        icon={<Rocket className="size-3.5" aria-hidden />}
        pending={deploy.isPending}
      >
        Deploy
      </Button>
    </Card>
  );
}

/** Admins only, for emergencies: approves without the quorum, with a reason on the record. */
export function BreakGlassPanel({
  projectSlug,
  requestId,
}: {
  projectSlug: string;
  requestId: string;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const refresh = useRefreshPromotion();
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const breakGlass = useMutation(
    trpc.promotions.breakGlass.mutationOptions({ onSuccess: refresh }),
  );
  return (
    <details className="rounded-xl border border-dashed border-line-strong px-5 py-3 text-[13px]">
      <summary className="flex cursor-pointer items-center gap-2 text-ink-muted">
        <ShieldAlert className="size-3.5" aria-hidden />
        Break-glass approval
      </summary>
      <form
        className="mt-3 space-y-2"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim().length < 10) {
            setInvalid(true);
            return;
          }
          setInvalid(false);
          breakGlass.mutate({ projectSlug, requestId, reason: reason.trim() });
        }}
      >
        <p className="text-xs text-ink-muted">
          Bypasses the approval quorum. The reason is recorded in the audit log and everyone is
          notified.
        </p>
        <label htmlFor={`${ids}-reason`} className="block text-xs font-medium text-ink">
          Reason (required)
        </label>
        <textarea
          id={`${ids}-reason`}
          data-testid="break-glass-reason"
          rows={2}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          className={clsx(textareaClass, invalid ? "border-danger" : "border-line-strong")}
        />
        {invalid ? <p className="text-xs text-danger">Give the emergency in a sentence.</p> : null}
        {breakGlass.isError ? <ErrorLine message={breakGlass.error.message} /> : null}
        <Button
          type="submit"
          data-testid="break-glass-submit"
          disabled={breakGlass.isPending}
          variant="danger"
        >
          Approve with break-glass
        </Button>
      </form>
    </details>
  );
}
