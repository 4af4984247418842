import type { Metadata } from "next";

import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { ApprovalsInbox } from "./approvals-inbox";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  return (
    <>
      <PageHeader
        eyebrow={project.name}
        title="Approvals"
        description="Promotion requests waiting for sign-off, newest first. Open one to review its evidence side by side with the version it would replace."
      />
      <ApprovalsInbox
        projectSlug={project.slug}
        userId={viewer.me.user.id}
        canApprove={project.permissions.includes("promotion.approve")}
      />
    </>
  );
}
