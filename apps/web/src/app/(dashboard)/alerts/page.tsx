import { Bell } from "lucide-react";
import type { Metadata } from "next";

import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Alerts" };

export default function AlertsPage() {
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Drift and data-quality monitors, and the alerts they raise."
      />
      <EmptyState icon={Bell} title="Alerts are not built yet" testId="not-built">
        <p>
          Soon you will set monitors on a model&apos;s features and predictions (drift against a
          baseline, error rate, missing values) and be notified when one fires. For now, watch the
          live charts on each model&apos;s page.
        </p>
      </EmptyState>
    </>
  );
}
