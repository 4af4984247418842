import { clsx } from "clsx";

/** The plumb line: a bob hanging true from a line, the mark of a thing that is level. */
export function Logo({ className, withName = true }: { className?: string; withName?: boolean }) {
  return (
    <span className={clsx("inline-flex items-center gap-2", className)}>
      <svg viewBox="0 0 24 24" aria-hidden className="size-6 shrink-0">
        <rect width="24" height="24" rx="6" className="fill-ink" />
        <path d="M12 4.5v8" className="stroke-surface" strokeWidth="1.6" strokeLinecap="round" />
        <path d="M12 19.5 8.6 13.2h6.8Z" className="fill-[#a5b4fc]" />
      </svg>
      {withName ? (
        <span className="text-[15px] font-semibold tracking-tight">Plumbline</span>
      ) : null}
    </span>
  );
}
