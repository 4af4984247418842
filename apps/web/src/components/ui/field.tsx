import { clsx } from "clsx";
import type { ReactNode } from "react";

const controlSizes = {
  sm: "h-8 rounded-md px-2.5",
  md: "h-9 rounded-lg px-3",
  /** Textareas size themselves by rows. */
  auto: "rounded-lg px-3 py-2",
} as const;

/**
 * The classes of a text input, select or textarea: one look for every form, with a visible
 * focus ring and a red border when `aria-invalid` is set.
 */
export function controlClassName({
  size = "md",
  block = true,
}: { size?: keyof typeof controlSizes; block?: boolean } = {}): string {
  return clsx(
    "border border-line-strong bg-surface text-[13px] text-ink shadow-card outline-none transition placeholder:text-ink-faint focus:border-accent focus:ring-3 focus:ring-accent/15 aria-invalid:border-danger disabled:cursor-not-allowed disabled:bg-canvas disabled:text-ink-muted",
    controlSizes[size],
    block && "w-full",
  );
}

/**
 * A labelled control: the label, the control itself (passed as children, with `id` = htmlFor),
 * a hint below it, and an error that replaces the hint.
 */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  error?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={clsx("space-y-1.5", className)}>
      <label htmlFor={htmlFor} className="block text-[13px] font-medium text-ink">
        {label}
      </label>
      {children}
      {error ? (
        <p className="text-xs text-danger" id={`${htmlFor}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-ink-faint" id={`${htmlFor}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
