import { clsx } from "clsx";
import type { ReactNode } from "react";

/** Soft fills with a ring; each tone has a dark twin so a badge reads on either theme. */
const tones = {
  neutral: "bg-subtle text-ink-muted ring-line-strong",
  accent: "bg-accent-soft text-accent-strong ring-indigo-200 dark:ring-indigo-800",
  canary:
    "bg-warning-soft text-amber-800 ring-amber-200 dark:text-amber-300 dark:ring-amber-800/70",
  success:
    "bg-success-soft text-emerald-700 ring-emerald-200 dark:text-emerald-300 dark:ring-emerald-800/70",
  danger: "bg-danger-soft text-red-700 ring-red-200 dark:text-red-300 dark:ring-red-800/70",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({
  children,
  tone = "neutral",
  className,
  title,
  ...rest
}: {
  children: ReactNode;
  tone?: BadgeTone;
  className?: string;
  title?: string;
  "data-testid"?: string;
  "data-status"?: string;
}) {
  return (
    <span
      title={title}
      className={clsx(
        "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset whitespace-nowrap",
        tones[tone],
        className,
      )}
      {...rest}
    >
      {children}
    </span>
  );
}
