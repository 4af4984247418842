"use client";

import { useMutation } from "@tanstack/react-query";
import { ArrowLeft, CircleAlert, CircleCheck, LogOut } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";

import { PASSWORD_MIN_LENGTH } from "@plumbline/auth/password-policy";

import { signOutAction } from "~/server/session-actions";
import { useTRPC } from "~/trpc/react";
import { Button, ButtonLink } from "~/components/ui/button";
import { controlClassName } from "~/components/ui/field";

const inputClass = controlClassName();

const footerLinkClass = "inline-flex items-center gap-1.5 text-xs text-ink-faint hover:text-ink";

/**
 * Current, new and repeated password, and the way out below them. The repeat is compared here;
 * every other rule is the server's, and its message is shown as it comes.
 */
export function ChangePasswordForm({
  email,
  mustChangePassword,
}: {
  email: string;
  mustChangePassword: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);
  const confirmationRef = useRef<HTMLInputElement>(null);
  const change = useMutation(
    trpc.me.changePassword.mutationOptions({
      onSuccess: () => {
        setChanged(true);
        setCurrentPassword("");
        setNewPassword("");
        setConfirmation("");
        // The server part of the page (the one-time password notice) reads the cleared flag.
        router.refresh();
      },
    }),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChanged(false);
    if (newPassword !== confirmation) {
      setMismatch(true);
      change.reset();
      confirmationRef.current?.focus();
      return;
    }
    setMismatch(false);
    change.mutate({ currentPassword, newPassword });
  };

  const error = mismatch
    ? "The new password and its confirmation do not match."
    : change.isError
      ? change.error.message
      : null;

  if (changed) {
    return (
      <div
        role="status"
        data-testid="password-success"
        className="space-y-4 rounded-xl border border-line bg-surface p-6 shadow-pop"
      >
        <div className="flex items-start gap-2 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-[13px] text-emerald-900">
          <CircleCheck className="mt-px size-4 shrink-0" aria-hidden />
          <span>Your password has been changed. Use the new one the next time you sign in.</span>
        </div>
        <ButtonLink href="/models" prefetch={false} data-testid="password-continue" size="lg" block>
          Continue to the dashboard
        </ButtonLink>
      </div>
    );
  }

  return (
    <>
      <form
        onSubmit={submit}
        aria-label="Change password"
        className="space-y-4 rounded-xl border border-line bg-surface p-6 shadow-pop"
      >
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        {error ? (
          <div
            data-testid="password-error"
            role="alert"
            className="flex items-start gap-2 rounded-lg border border-red-200 bg-danger-soft px-3 py-2.5 text-[13px] text-red-800"
          >
            <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
            <span>{error}</span>
          </div>
        ) : null}
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-current`} className="block text-xs font-medium text-ink">
            Current password
          </label>
          <input
            id={`${ids}-current`}
            type="password"
            autoComplete="current-password"
            autoFocus
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
            data-testid="password-current"
            className={inputClass}
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-new`} className="block text-xs font-medium text-ink">
            New password
          </label>
          <input
            id={`${ids}-new`}
            type="password"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => setNewPassword(event.target.value)}
            aria-describedby={`${ids}-rules`}
            data-testid="password-new"
            className={inputClass}
          />
          <p id={`${ids}-rules`} className="text-xs text-ink-faint">
            At least {PASSWORD_MIN_LENGTH} characters; not your email or current password.
          </p>
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${ids}-confirm`} className="block text-xs font-medium text-ink">
            Confirm new password
          </label>
          <input
            ref={confirmationRef}
            id={`${ids}-confirm`}
            type="password"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.target.value);
              if (mismatch) setMismatch(false);
            }}
            aria-invalid={mismatch ? true : undefined}
            data-testid="password-confirm"
            className={inputClass}
          />
        </div>
        <Button
          type="submit"
          pending={change.isPending}
          data-testid="password-submit"
          size="lg"
          block
        >
          {change.isPending ? "Changing password…" : "Change password"}
        </Button>
      </form>
      <div className="mt-6 flex justify-center">
        {mustChangePassword ? (
          <form action={signOutAction}>
            <button type="submit" data-testid="password-sign-out" className={footerLinkClass}>
              <LogOut className="size-3.5" aria-hidden />
              Sign out instead
            </button>
          </form>
        ) : (
          <Link href="/models" prefetch={false} className={footerLinkClass}>
            <ArrowLeft className="size-3.5" aria-hidden />
            Back to the dashboard
          </Link>
        )}
      </div>
    </>
  );
}
