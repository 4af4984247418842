import { LockKeyhole, LogOut } from "lucide-react";

import { signOutAction } from "~/server/session-actions";

import { Logo } from "./logo";
import { Button } from "./ui/button";

/** A signed-in person without a role anywhere (or an org without projects yet). */
export function NoAccess({
  user,
  orgRole,
}: {
  user: { name: string; email: string };
  orgRole: string | null;
}) {
  const noProjects = orgRole !== null;
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4">
      <Logo className="mb-10" />
      <div
        className="w-full max-w-md rounded-xl border border-line bg-surface p-8 text-center shadow-pop"
        data-testid="no-access"
      >
        <div className="mx-auto mb-4 grid size-10 place-items-center rounded-lg border border-line bg-canvas text-ink-muted">
          <LockKeyhole className="size-5" strokeWidth={1.75} aria-hidden />
        </div>
        <h1 className="text-[17px] font-semibold tracking-tight">
          {noProjects ? "There are no projects yet" : "You have no access yet"}
        </h1>
        <p className="mt-2 text-[13px] leading-relaxed text-ink-muted">
          {noProjects ? (
            <>
              Your account can see every project, but none exists. Projects are created by the
              set-up scripts for now (for example <code className="font-mono">pnpm demo</code>).
            </>
          ) : (
            <>
              You are signed in as <span className="font-medium text-ink">{user.email}</span>, but
              this account has no role in any project. Ask an admin to add you to a project; the
              change applies as soon as they save it.
            </>
          )}
        </p>
        <form action={signOutAction} className="mt-6">
          <Button type="submit" variant="secondary">
            <LogOut className="size-3.5" aria-hidden />
            Sign out
          </Button>
        </form>
      </div>
    </main>
  );
}
