import { clsx } from "clsx";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";

/** A data table inside a card: hairline rows, small caps headers, numbers right-aligned. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table className={clsx("w-full text-left text-[13px]", className)} {...props} />
    </div>
  );
}

export function TableHead({ className, ...props }: ComponentProps<"thead">) {
  return (
    <thead
      className={clsx("text-[11px] tracking-wider text-ink-faint uppercase", className)}
      {...props}
    />
  );
}

export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={clsx("border-b border-line last:border-b-0", className)} {...props} />;
}

export function TableHeaderCell({
  className,
  numeric = false,
  ...props
}: ComponentProps<"th"> & { numeric?: boolean }) {
  return (
    <th
      className={clsx(
        "px-4 py-2.5 font-medium whitespace-nowrap",
        numeric && "text-right",
        className,
      )}
      {...props}
    />
  );
}

export function TableCell({
  className,
  numeric = false,
  ...props
}: ComponentProps<"td"> & { numeric?: boolean }) {
  return (
    <td
      className={clsx("px-4 py-2.5", numeric && "text-right tabular-nums", className)}
      {...props}
    />
  );
}

export type SortDirection = "asc" | "desc";

/** A header that sorts its column; `aria-sort` tells screen readers which way. */
export function SortableHeaderCell({
  children,
  active,
  direction,
  onSort,
  numeric = false,
  testId,
}: {
  children: ReactNode;
  active: boolean;
  direction: SortDirection;
  onSort: () => void;
  numeric?: boolean;
  testId?: string;
}) {
  const Icon = !active ? ArrowUpDown : direction === "asc" ? ArrowUp : ArrowDown;
  return (
    <th
      aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : "none"}
      className={clsx("px-4 py-2.5 font-medium whitespace-nowrap", numeric && "text-right")}
    >
      <button
        type="button"
        onClick={onSort}
        data-testid={testId}
        className={clsx(
          "inline-flex items-center gap-1 uppercase hover:text-ink",
          active && "text-ink-muted",
        )}
      >
        {children}
        <Icon className="size-3" aria-hidden />
      </button>
    </th>
  );
}
