import { KeyRound, ShieldCheck, Webhook } from "lucide-react";
import type { Metadata } from "next";

import { PERMISSIONS, ROLE_LABELS, ROLES, type Permission } from "@plumbline/auth/permissions";

import { Card, CardHeader } from "~/components/ui/card";
import { PageHeader } from "~/components/page-header";
import { readWebEnv } from "~/env";
import { getViewer } from "~/server/viewer";

import { ApiKeysSection } from "./api-keys-section";
import { EnvironmentsSection } from "./environments-section";
import { MembersTable } from "./members-table";
import { WebhooksSection } from "./webhooks-section";

export const metadata: Metadata = { title: "Settings" };

const PERMISSION_LABELS: Record<Permission, string> = {
  "dashboard.read": "See models and live metrics",
  "model.register": "Register models and versions",
  "evaluation.write": "Record evaluations",
  "promotion.request": "Request promotions",
  "promotion.approve": "Approve promotions (ML engineers: staging only, if the policy allows)",
  "promotion.break_glass": "Approve a promotion alone (break-glass)",
  "promotion.deploy": "Deploy approved promotions",
  "deployment.abort": "Abort deployments and roll back",
  "deployment.resume": "Resume a paused canary, retry a rolled back one",
  "deployment.promote": "Promote a canary at once",
  "alias.move": "Move model aliases",
  "card.edit": "Edit model cards",
  "card.approve": "Approve model cards",
  "reference.write": "Create drift references",
  "monitor.write": "Configure monitors",
  "monitor.approve_mute": "Approve muting a critical monitor for more than 24 h",
  "alert.acknowledge": "Acknowledge, assign, snooze and resolve alerts",
  "retraining.trigger": "Trigger retraining and set retraining policies",
  "webhook.manage": "Manage webhooks",
  "policy.manage": "Manage promotion policies",
  "member.manage": "Manage members and roles",
  "environment.manage": "Manage deployment environments",
  "apikey.manage": "Manage API keys",
  "audit.read": "Read the audit log",
};

export default async function SettingsPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  const canManageMembers = project.permissions.includes("member.manage");
  const canManageKeys = project.permissions.includes("apikey.manage");
  const canManageWebhooks = project.permissions.includes("webhook.manage");

  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Settings"
        description="Who can see and change this project, how services send it data, where its events go, and what a promotion must pass."
      />
      <div className="space-y-6">
        <Card>
          <CardHeader
            title="Members"
            description={
              canManageMembers
                ? "Roles take effect on the member's next request; no new sign-in needed."
                : "People with a role in this project."
            }
          />
          {canManageMembers ? (
            <MembersTable projectSlug={project.slug} currentUserId={viewer.me.user.id} />
          ) : (
            <div className="flex items-start gap-3 px-5 py-5" data-testid="members-admin-only">
              <ShieldCheck className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
              <p className="text-[13px] leading-relaxed text-ink-muted">
                Members and their roles are managed by admins. Your role here is{" "}
                <span className="font-medium text-ink">{ROLE_LABELS[project.role]}</span>; ask an
                admin of {project.name} if you need more access.
              </p>
            </div>
          )}
        </Card>

        <Card>
          {canManageKeys ? (
            <ApiKeysSection
              projectSlug={project.slug}
              ingestUrl={readWebEnv().PLUMBLINE_INGEST_URL}
            />
          ) : (
            <>
              <CardHeader
                title="API keys"
                description="Inference services authenticate to the ingest API with a project key."
              />
              <div className="flex items-start gap-3 px-5 py-5" data-testid="api-keys-admin-only">
                <KeyRound className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
                <p className="text-[13px] leading-relaxed text-ink-muted">
                  API keys are created and revoked by admins. Ask an admin of {project.name} for a
                  key with the scopes your service needs.
                </p>
              </div>
            </>
          )}
        </Card>

        <Card data-testid="webhooks-section">
          {canManageWebhooks ? (
            <WebhooksSection projectSlug={project.slug} />
          ) : (
            <>
              <CardHeader
                title="Webhooks"
                description="Plumbline posts registry and promotion events to these URLs, signed with HMAC-SHA256."
              />
              <div
                className="flex items-start gap-3 px-5 py-5"
                data-testid="webhooks-managers-only"
              >
                <Webhook className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
                <p className="text-[13px] leading-relaxed text-ink-muted">
                  Webhooks are managed by approvers and admins. Ask one of them if a service of
                  yours needs to hear about promotions.
                </p>
              </div>
            </>
          )}
        </Card>

        <Card data-testid="environments-section">
          <EnvironmentsSection
            projectSlug={project.slug}
            canManageEnvironments={project.permissions.includes("environment.manage")}
            canManagePolicies={project.permissions.includes("policy.manage")}
          />
        </Card>

        <Card>
          <CardHeader
            title="Roles"
            description="What each role may do. The server enforces this table on every request."
          />
          <div className="overflow-x-auto">
            <table className="w-full text-left text-[13px]">
              <thead className="text-[11px] uppercase tracking-wider text-ink-faint">
                <tr className="border-b border-line">
                  <th className="px-5 py-2.5 font-medium">Permission</th>
                  {ROLES.map((role) => (
                    <th
                      key={role}
                      className={`px-3 py-2.5 text-center font-medium ${role === project.role ? "text-accent-strong" : ""}`}
                    >
                      {ROLE_LABELS[role]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(Object.keys(PERMISSIONS) as Permission[]).map((permission) => (
                  <tr key={permission} className="border-b border-line last:border-b-0">
                    <td className="px-5 py-2 text-ink-muted">{PERMISSION_LABELS[permission]}</td>
                    {ROLES.map((role) => (
                      <td
                        key={role}
                        className={`px-3 py-2 text-center ${role === project.role ? "bg-accent-soft/50" : ""}`}
                      >
                        {(PERMISSIONS[permission] as readonly string[]).includes(role) ? (
                          <span className="text-accent" aria-label="allowed">
                            ●
                          </span>
                        ) : (
                          <span className="text-zinc-300" aria-label="not allowed">
                            –
                          </span>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </>
  );
}
