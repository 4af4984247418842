import { ChevronsUpDown, KeyRound, LogOut } from "lucide-react";
import Link from "next/link";

import { ROLE_LABELS, type Role } from "@plumbline/auth/permissions";

import { signOutAction } from "~/server/session-actions";

function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")
  ).toUpperCase();
}

/** Who is signed in, their role in the current project, their password, and the way out. */
export function UserMenu({ user, role }: { user: { name: string; email: string }; role: Role }) {
  return (
    <details className="group relative" data-testid="user-menu">
      <summary className="flex cursor-pointer list-none items-center gap-2.5 rounded-lg px-2 py-2 hover:bg-hover [&::-webkit-details-marker]:hidden">
        <span className="grid size-7 shrink-0 place-items-center rounded-full bg-zinc-900 text-[11px] font-semibold text-white">
          {initials(user.name || user.email)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[13px] font-medium text-ink" data-testid="user-name">
            {user.name}
          </span>
          <span className="block truncate text-[11px] text-ink-faint" data-testid="user-role">
            {ROLE_LABELS[role]}
          </span>
        </span>
        <ChevronsUpDown className="size-3.5 shrink-0 text-ink-faint" aria-hidden />
      </summary>
      <div className="absolute inset-x-0 bottom-full z-20 mb-1 rounded-lg border border-line bg-surface p-1 shadow-pop">
        <div className="border-b border-line px-2.5 pt-1.5 pb-2.5">
          <div className="truncate text-[13px] font-medium text-ink">{user.name}</div>
          <div className="truncate text-xs text-ink-muted" data-testid="user-email">
            {user.email}
          </div>
          <div className="mt-2 text-[11px] text-ink-faint">
            Role in this project: <span className="font-medium text-ink">{ROLE_LABELS[role]}</span>
          </div>
        </div>
        <div className="pt-1">
          <Link
            href="/account/password"
            data-testid="change-password-link"
            className="flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-[13px] text-ink-muted hover:bg-hover hover:text-ink"
          >
            <KeyRound className="size-3.5" aria-hidden />
            Change password
          </Link>
        </div>
        <form action={signOutAction}>
          <button
            type="submit"
            data-testid="sign-out"
            className="flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-[13px] text-ink-muted hover:bg-hover hover:text-ink"
          >
            <LogOut className="size-3.5" aria-hidden />
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
