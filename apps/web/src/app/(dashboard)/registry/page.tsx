import { Library } from "lucide-react";
import type { Metadata } from "next";

import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";

export const metadata: Metadata = { title: "Registry" };

export default function RegistryPage() {
  return (
    <>
      <PageHeader
        title="Registry"
        description="Versions, their lineage and evaluations, and promotions from staging to production."
      />
      <EmptyState icon={Library} title="The model registry is not built yet" testId="not-built">
        <p>
          Here you will register model versions with their artifacts and evaluation metrics, and
          request promotions that approvers sign off. Until then, each model&apos;s page lists the
          versions that log predictions.
        </p>
      </EmptyState>
    </>
  );
}
