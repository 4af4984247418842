"use client";

import { CircleAlert } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";

import { Button } from "~/components/ui/button";
import { controlClassName } from "~/components/ui/field";

import { signInWithPassword, type SignInState } from "./actions";

const inputClass = controlClassName();

export function SignInForm({
  callbackUrl,
  initialError,
}: {
  callbackUrl: string;
  initialError: string | null;
}) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInWithPassword, {
    error: initialError,
    email: "",
  });
  const passwordRef = useRef<HTMLInputElement>(null);

  // After a failed attempt the email is kept; put the cursor where the retry starts.
  useEffect(() => {
    if (state.error && state.email) passwordRef.current?.focus();
  }, [state]);

  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.error ? (
        <div
          data-testid="signin-error"
          role="alert"
          className="flex items-start gap-2 rounded-lg border border-red-200 bg-danger-soft px-3 py-2.5 text-[13px] text-red-800"
        >
          <CircleAlert className="mt-px size-4 shrink-0" aria-hidden />
          <span>{state.error}</span>
        </div>
      ) : null}
      <div className="space-y-1.5">
        <label htmlFor="email" className="block text-xs font-medium text-ink">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          required
          defaultValue={state.email}
          placeholder="you@company.com"
          data-testid="signin-email"
          aria-invalid={state.error ? true : undefined}
          className={inputClass}
        />
      </div>
      <div className="space-y-1.5">
        <label htmlFor="password" className="block text-xs font-medium text-ink">
          Password
        </label>
        <input
          ref={passwordRef}
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="signin-password"
          aria-invalid={state.error ? true : undefined}
          className={inputClass}
        />
      </div>
      <Button type="submit" pending={pending} data-testid="signin-submit" size="lg" block>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
