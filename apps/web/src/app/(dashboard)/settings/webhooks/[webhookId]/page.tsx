import { Webhook } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { Card, CardHeader } from "~/components/ui/card";
import { PageHeader } from "~/components/page-header";
import { getViewer } from "~/server/viewer";

import { WebhookDeliveryLog } from "./webhook-delivery-log";

export const metadata: Metadata = { title: "Webhook deliveries" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Props {
  params: Promise<{ webhookId: string }>;
}

export default async function WebhookDeliveriesPage({ params }: Props) {
  const { webhookId } = await params;
  const viewer = await getViewer();
  const project = viewer?.project;
  if (!viewer || !project) return null;
  // The router refuses a malformed id as a bad request; for a URL that is simply "not found".
  if (!UUID.test(webhookId)) notFound();
  const canManageWebhooks = project.permissions.includes("webhook.manage");

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/settings" className="hover:text-ink">
            {project.name} · Settings
          </Link>
        }
        title="Webhook deliveries"
        description="Every event queued for this endpoint, newest first, with each delivery's attempts and the endpoint's last answer."
      />
      {canManageWebhooks ? (
        <WebhookDeliveryLog projectSlug={project.slug} webhookId={webhookId} />
      ) : (
        <Card>
          <CardHeader title="Deliveries" />
          <div className="flex items-start gap-3 px-5 py-5" data-testid="webhooks-managers-only">
            <Webhook className="mt-0.5 size-4 shrink-0 text-ink-faint" aria-hidden />
            <p className="text-[13px] leading-relaxed text-ink-muted">
              Webhooks and their deliveries are managed by approvers and admins.
            </p>
          </div>
        </Card>
      )}
    </>
  );
}
