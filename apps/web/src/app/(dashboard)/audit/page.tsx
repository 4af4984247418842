import { ScrollText } from "lucide-react";
import type { Metadata } from "next";

import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { AuditLog } from "./audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Audit log"
        description="Every change to the registry, promotions, members and keys, newest first. Each entry is chained to the one before it by a hash, so a change after the fact is detectable."
      />
      {project.permissions.includes("audit.read") ? (
        <AuditLog projectSlug={project.slug} />
      ) : (
        <EmptyState icon={ScrollText} title="Your role cannot read the audit log">
          Ask an admin or an approver for what you need.
        </EmptyState>
      )}
    </>
  );
}
