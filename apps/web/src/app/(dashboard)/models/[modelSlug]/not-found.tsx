import { SearchX } from "lucide-react";
import Link from "next/link";

import { EmptyState } from "~/components/ui/empty-state";

export default function ModelNotFound() {
  return (
    <EmptyState
      icon={SearchX}
      title="This model does not exist"
      testId="model-not-found"
      action={
        <Link
          href="/models"
          className="inline-flex h-8 items-center rounded-lg border border-line-strong px-3 text-[13px] font-medium hover:bg-canvas"
        >
          Back to models
        </Link>
      }
    >
      There is no model with this id in the current project. It may have been renamed, or it belongs
      to another project: switch projects in the sidebar.
    </EmptyState>
  );
}
