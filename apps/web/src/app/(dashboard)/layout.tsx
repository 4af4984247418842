import { Bell, Boxes, ClipboardCheck, Library, Rocket, ScrollText, Settings } from "lucide-react";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";

import { Logo } from "~/components/logo";
import { NavLink } from "~/components/nav-link";
import { NoAccess } from "~/components/no-access";
import { ProjectSwitcher } from "~/components/project-switcher";
import { ThemeToggle } from "~/components/theme/theme-toggle";
import { UserMenu } from "~/components/user-menu";
import { getViewer } from "~/server/viewer";

import { AlertsNavBadge } from "./alerts/alerts-nav-badge";
import { ApprovalsNavBadge } from "./approvals/approvals-nav-badge";

const iconClass = "size-4";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  // proxy.ts already sends signed-out visitors away; this covers a deleted account.
  if (!viewer) redirect("/signin");
  const { me, project } = viewer;
  // A one-time password is replaced before anything else; that page explains why.
  if (me.mustChangePassword) redirect("/account/password");
  if (!project) return <NoAccess user={me.user} orgRole={me.orgRole} />;

  return (
    <div className="flex min-h-dvh">
      {/* The column spans the whole page; its content sticks to the viewport while it scrolls. */}
      <aside className="w-60 shrink-0 border-r border-line bg-surface">
        <div className="sticky top-0 flex h-dvh flex-col">
          <div className="flex h-14 items-center justify-between px-4">
            <Logo />
            <ThemeToggle />
          </div>
          <div className="px-2 pb-3">
            <ProjectSwitcher current={project} projects={me.projects} />
          </div>
          <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-2">
            <NavLink href="/models" icon={<Boxes className={iconClass} aria-hidden />}>
              Models
            </NavLink>
            <NavLink href="/registry" icon={<Library className={iconClass} aria-hidden />}>
              Registry
            </NavLink>
            <NavLink
              href="/approvals"
              icon={<ClipboardCheck className={iconClass} aria-hidden />}
              badge={
                project.permissions.includes("promotion.approve") ? (
                  <ApprovalsNavBadge projectSlug={project.slug} userId={me.user.id} />
                ) : null
              }
            >
              Approvals
            </NavLink>
            <NavLink href="/rollouts" icon={<Rocket className={iconClass} aria-hidden />}>
              Rollouts
            </NavLink>
            <NavLink
              href="/alerts"
              icon={<Bell className={iconClass} aria-hidden />}
              badge={<AlertsNavBadge projectSlug={project.slug} />}
            >
              Alerts
            </NavLink>
            {project.permissions.includes("audit.read") ? (
              <NavLink href="/audit" icon={<ScrollText className={iconClass} aria-hidden />}>
                Audit log
              </NavLink>
            ) : null}
            <NavLink href="/settings" icon={<Settings className={iconClass} aria-hidden />}>
              Settings
            </NavLink>
          </nav>
          <div className="border-t border-line p-2">
            <UserMenu user={me.user} role={project.role} />
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1">
        <div className="mx-auto max-w-6xl px-8 py-8">{children}</div>
      </main>
    </div>
  );
}
