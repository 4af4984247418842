import { clsx } from "clsx";
import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";

const variants = {
  /** The one main action of a form or page. */
  primary: "bg-ink text-surface shadow-card hover:bg-ink/85",
  secondary: "border border-line-strong bg-surface text-ink hover:bg-hover",
  ghost: "text-ink-muted hover:bg-hover hover:text-ink",
  /** Irreversible or refusing actions (reject, revoke). */
  danger: "bg-red-700 text-white shadow-card hover:bg-red-800",
  /** Approving actions. */
  success: "bg-emerald-700 text-white shadow-card hover:bg-emerald-800",
} as const;

const sizes = {
  sm: "h-7 gap-1.5 rounded-md px-2.5 text-xs",
  md: "h-8 gap-2 rounded-lg px-3 text-[13px]",
  lg: "h-9 gap-2 rounded-lg px-3.5 text-[13px]",
} as const;

export type ButtonVariant = keyof typeof variants;
export type ButtonSize = keyof typeof sizes;

export interface ButtonStyle {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Fill the width of the parent (sign-in and password forms). */
  block?: boolean;
}

/** The classes of a button, for the rare element that must look like one without being one. */
export function buttonClassName({
  variant = "primary",
  size = "md",
  block = false,
}: ButtonStyle = {}): string {
  return clsx(
    "inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap transition disabled:cursor-not-allowed disabled:opacity-60 aria-busy:cursor-wait",
    variants[variant],
    sizes[size],
    block && "w-full",
  );
}

/**
 * A button. `pending` shows a spinner and disables it while its action runs, so a double click
 * cannot send the action twice.
 */
export function Button({
  variant,
  size,
  block,
  pending = false,
  icon,
  className,
  children,
  disabled,
  type = "button",
  ...props
}: ComponentProps<"button"> &
  ButtonStyle & {
    pending?: boolean;
    /** An icon shown before the label; replaced by the spinner while pending. */
    icon?: ReactNode;
  }) {
  return (
    <button
      type={type}
      disabled={disabled === true || pending}
      aria-busy={pending || undefined}
      className={clsx(buttonClassName({ variant, size, block }), className)}
      {...props}
    >
      {pending ? (
        <LoaderCircle
          className={size === "lg" ? "size-4 animate-spin" : "size-3.5 animate-spin"}
          aria-hidden
        />
      ) : (
        icon
      )}
      {children}
    </button>
  );
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({
  variant,
  size,
  block,
  icon,
  className,
  children,
  ...props
}: ComponentProps<typeof Link> & ButtonStyle & { icon?: ReactNode }) {
  return (
    <Link className={clsx(buttonClassName({ variant, size, block }), className)} {...props}>
      {icon}
      {children}
    </Link>
  );
}
