import { clsx } from "clsx";
import type { CSSProperties } from "react";

/** A grey placeholder of the size of what is loading; hidden from screen readers. */
export function Skeleton({ className, style }: { className?: string; style?: CSSProperties }) {
  return (
    <div
      aria-hidden
      className={clsx("animate-pulse rounded-md bg-subtle", className)}
      style={style}
    />
  );
}
