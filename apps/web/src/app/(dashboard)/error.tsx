"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect } from "react";

import { EmptyState } from "~/components/ui/empty-state";
import { Button } from "~/components/ui/button";

export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <EmptyState
      icon={TriangleAlert}
      title="Something went wrong on this page"
      testId="error-boundary"
      action={<Button onClick={reset}>Try again</Button>}
    >
      <p>
        The page could not be shown. This is usually a passing problem with the database connection;
        try again in a moment.
      </p>
      {error.digest ? (
        <p className="mt-2 font-mono text-[11px] text-ink-faint">Reference: {error.digest}</p>
      ) : null}
    </EmptyState>
  );
}
