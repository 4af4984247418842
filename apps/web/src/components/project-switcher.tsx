import { ChevronsUpDown } from "lucide-react";

import { selectProjectAction } from "~/server/session-actions";
import type { ViewerProject } from "~/server/viewer";

function ProjectMark({ name }: { name: string }) {
  return (
    <span className="grid size-6 shrink-0 place-items-center rounded-md bg-gradient-to-br from-indigo-500 to-violet-500 text-[11px] font-semibold text-white">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/** The project the dashboard shows; with several projects, a small menu to pick another. */
export function ProjectSwitcher({
  current,
  projects,
}: {
  current: ViewerProject;
  projects: ViewerProject[];
}) {
  const label = (
    <>
      <ProjectMark name={current.name} />
      <span className="min-w-0 flex-1 text-left">
        <span
          className="block truncate text-[13px] font-medium text-ink"
          data-testid="project-name"
        >
          {current.name}
        </span>
        <span className="block truncate font-mono text-[11px] text-ink-faint">{current.slug}</span>
      </span>
    </>
  );
  if (projects.length < 2) {
    return <div className="flex items-center gap-2.5 rounded-lg px-2 py-1.5">{label}</div>;
  }
  return (
    <details className="group relative">
      <summary className="flex cursor-pointer list-none items-center gap-2.5 rounded-lg px-2 py-1.5 hover:bg-hover [&::-webkit-details-marker]:hidden">
        {label}
        <ChevronsUpDown className="size-3.5 text-ink-faint" aria-hidden />
      </summary>
      <form
        action={selectProjectAction}
        className="absolute inset-x-0 top-full z-20 mt-1 rounded-lg border border-line bg-surface p-1 shadow-pop"
      >
        {projects.map((project) => (
          <button
            key={project.id}
            type="submit"
            name="project"
            value={project.slug}
            aria-current={project.slug === current.slug ? "true" : undefined}
            className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] hover:bg-hover aria-[current=true]:font-medium"
          >
            <ProjectMark name={project.name} />
            <span className="truncate">{project.name}</span>
          </button>
        ))}
      </form>
    </details>
  );
}
