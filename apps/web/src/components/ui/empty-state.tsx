import { clsx } from "clsx";
import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

import { Card } from "./card";

export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
  testId,
  wide = false,
}: {
  icon: LucideIcon;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
  /** Room for a code sample. */
  wide?: boolean;
}) {
  return (
    <Card className="px-6 py-14" data-testid={testId}>
      <div
        className={clsx(
          "mx-auto flex flex-col items-center text-center",
          wide ? "max-w-2xl" : "max-w-lg",
        )}
      >
        <div className="mb-4 grid size-10 place-items-center rounded-lg border border-line bg-canvas text-ink-muted">
          <Icon className="size-5" strokeWidth={1.75} aria-hidden />
        </div>
        <h2 className="text-[15px] font-semibold text-ink">{title}</h2>
        {children ? (
          <div className="mt-2 text-[13px] leading-relaxed text-ink-muted">{children}</div>
        ) : null}
        {action ? <div className="mt-5 w-full">{action}</div> : null}
      </div>
    </Card>
  );
}
