import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { Logo } from "~/components/logo";
import { getViewer } from "~/server/viewer";

import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Change password" };

/**
 * Outside the dashboard shell on purpose: the dashboard layout sends an account that still has
 * its one-time password here, so this page must not sit behind that layout.
 */
export default async function ChangePasswordPage() {
  const viewer = await getViewer();
  // proxy.ts already sends signed-out visitors away; this covers a deleted account.
  if (!viewer) redirect("/signin?callbackUrl=/account/password");
  const { user, mustChangePassword } = viewer.me;

  return (
    <main className="relative flex min-h-dvh items-center justify-center overflow-hidden px-4 py-10">
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(60rem_30rem_at_50%_-10%,#e0e7ff_0%,transparent_60%)]"
      />
      <div className="relative w-full max-w-[400px]">
        <div className="mb-6 flex flex-col items-center text-center">
          <Logo withName={false} className="mb-5 scale-125" />
          <h1 className="text-xl font-semibold tracking-tight">
            {mustChangePassword ? "Choose your own password" : "Change your password"}
          </h1>
          <p className="mt-1.5 text-[13px] text-ink-muted">
            Signed in as <span className="font-medium text-ink">{user.email}</span>
          </p>
        </div>
        {mustChangePassword ? (
          <div
            data-testid="password-required-notice"
            className="mb-4 flex items-start gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-[13px] leading-relaxed text-amber-900"
          >
            <KeyRound className="mt-0.5 size-4 shrink-0" aria-hidden />
            <p>
              You signed in with a one-time password. Replace it with a password of your own before
              you continue; the one-time password stops working once you do.
            </p>
          </div>
        ) : null}
        <ChangePasswordForm email={user.email} mustChangePassword={mustChangePassword} />
      </div>
    </main>
  );
}
