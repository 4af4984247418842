import { clsx } from "clsx";

/** A grey placeholder of the size of what is loading; hidden from screen readers. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={clsx("animate-pulse rounded-md bg-subtle", className)} />;
}
