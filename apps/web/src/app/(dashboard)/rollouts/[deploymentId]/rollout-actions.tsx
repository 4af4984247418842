"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FastForward, Play, RotateCcw, Undo2 } from "lucide-react";
import { useId, useState, type FormEvent } from "react";

import { FormAlert } from "~/components/form-controls";
import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { controlClassName, Field } from "~/components/ui/field";
import { useTRPC } from "~/trpc/react";

import type { DeploymentDetail } from "../rollout-labels";

export interface RolloutPermissions {
  abort: boolean;
  resume: boolean;
  promote: boolean;
}

const LIVE = new Set(["pending", "progressing", "paused", "analyzing", "promoting"]);

/**
 * The buttons a role may press, from the same permission table the server checks (which has the
 * last word: its refusal is shown as it comes). Engineers abort; approvers resume, promote now
 * and retry; viewers watch.
 */
export function RolloutActions({
  projectSlug,
  view,
  userId,
  permissions,
}: {
  projectSlug: string;
  view: DeploymentDetail;
  userId: string;
  permissions: RolloutPermissions;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [aborting, setAborting] = useState(false);
  const [reason, setReason] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.rollouts.pathKey() });
  const options = { onSuccess: refresh };
  const abort = useMutation(
    trpc.rollouts.abort.mutationOptions({
      onSuccess: async () => {
        setAborting(false);
        setReason("");
        await refresh();
      },
    }),
  );
  const resume = useMutation(trpc.rollouts.resume.mutationOptions(options));
  const promote = useMutation(trpc.rollouts.promoteNow.mutationOptions(options));
  const retry = useMutation(trpc.rollouts.retry.mutationOptions(options));
  const ref = { projectSlug, deploymentId: view.id };
  // An abort's refusal shows in its dialog (the page behind the modal is inert); while the dialog
  // is open the page's own error stays hidden so the alert's test id is on screen once.
  const error = aborting ? null : (resume.error ?? promote.error ?? retry.error);

  const live = LIVE.has(view.state);
  // An ml_engineer aborts only their own promotion's canary (the server checks it too).
  const mayAbort = permissions.abort && live;
  const buttons = [
    mayAbort ? (
      <Button
        key="abort"
        variant="danger"
        size="sm"
        icon={<Undo2 className="size-3.5" aria-hidden />}
        onClick={() => setAborting(true)}
        data-testid="rollout-abort"
        title={
          view.requesterUserId === userId
            ? undefined
            : "Approvers abort any canary; engineers their own"
        }
      >
        Abort and roll back
      </Button>
    ) : null,
    permissions.resume && view.state === "paused" ? (
      <Button
        key="resume"
        size="sm"
        icon={<Play className="size-3.5" aria-hidden />}
        pending={resume.isPending}
        onClick={() => resume.mutate(ref)}
        data-testid="rollout-resume"
      >
        Resume
      </Button>
    ) : null,
    permissions.promote && live && view.state !== "promoting" ? (
      <Button
        key="promote"
        variant="success"
        size="sm"
        icon={<FastForward className="size-3.5" aria-hidden />}
        pending={promote.isPending}
        onClick={() => promote.mutate(ref)}
        data-testid="rollout-promote"
      >
        Promote now
      </Button>
    ) : null,
    permissions.resume && view.state === "rolled_back" ? (
      <Button
        key="retry"
        variant="secondary"
        size="sm"
        icon={<RotateCcw className="size-3.5" aria-hidden />}
        pending={retry.isPending}
        onClick={() => retry.mutate(ref)}
        data-testid="rollout-retry"
      >
        Retry
      </Button>
    ) : null,
  ].filter(Boolean);

  const submitAbort = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === "") return;
    abort.mutate({ ...ref, reason });
  };

  return (
    <div className="flex flex-col items-end gap-2" data-testid="rollout-actions">
      {buttons.length > 0 ? (
        <div className="flex flex-wrap gap-2">{buttons}</div>
      ) : (
        <p className="text-xs text-ink-faint" data-testid="rollout-watch-only">
          {live ? "You can watch this rollout; your role cannot change it." : null}
        </p>
      )}
      {error ? (
        <p className="text-xs text-danger" role="alert" data-testid="rollout-action-error">
          {error.message}
        </p>
      ) : null}
      <Dialog
        open={aborting}
        onClose={() => {
          setAborting(false);
          abort.reset();
        }}
        title="Abort this canary?"
        description="The canary's weight goes to 0 at once, the deployment is rolled back and the alias stays on the stable version."
        testId="rollout-abort-dialog"
      >
        <form onSubmit={submitAbort} className="space-y-4" noValidate>
          <Field label="Why (kept in the audit log)" htmlFor={reasonId}>
            <textarea
              id={reasonId}
              rows={3}
              value={reason}
              maxLength={2000}
              onChange={(event) => setReason(event.target.value)}
              className={controlClassName({ size: "auto" })}
              data-testid="rollout-abort-reason"
            />
          </Field>
          <FormAlert message={abort.error?.message ?? null} testId="rollout-action-error" />
          <Button
            type="submit"
            variant="danger"
            pending={abort.isPending}
            disabled={reason.trim() === ""}
            data-testid="rollout-abort-confirm"
          >
            Abort and roll back
          </Button>
        </form>
      </Dialog>
    </div>
  );
}
