"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

export function NavLink({
  href,
  icon,
  children,
  hint,
  badge,
}: {
  href: string;
  icon: ReactNode;
  children: ReactNode;
  hint?: string;
  /** A live count beside the label (for example, requests awaiting the viewer). */
  badge?: ReactNode;
}) {
  const pathname = usePathname();
  const active = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={clsx(
        "group flex h-8 items-center gap-2.5 rounded-md px-2.5 text-[13px] transition-colors",
        active ? "bg-subtle font-medium text-ink" : "text-ink-muted hover:bg-hover hover:text-ink",
      )}
    >
      <span className={clsx(active ? "text-ink" : "text-ink-faint group-hover:text-ink-muted")}>
        {icon}
      </span>
      <span className="flex-1">{children}</span>
      {hint ? (
        <span className="rounded px-1 text-[10px] font-medium uppercase tracking-wide text-ink-faint">
          {hint}
        </span>
      ) : null}
      {badge}
    </Link>
  );
}
