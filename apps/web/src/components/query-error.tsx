"use client";

import { CircleAlert, RotateCw } from "lucide-react";

import { Button } from "./ui/button";
import { Card } from "./ui/card";

export function QueryError({
  error,
  onRetry,
}: {
  error: { message: string };
  onRetry?: () => void;
}) {
  return (
    <Card className="flex items-start gap-3 border-red-200 px-5 py-4" role="status">
      <CircleAlert className="mt-0.5 size-4 shrink-0 text-danger" aria-hidden />
      <div className="min-w-0 flex-1">
        <p className="text-[13px] font-medium text-ink">Could not load this</p>
        <p className="mt-0.5 text-xs text-ink-muted">{error.message}</p>
      </div>
      {onRetry ? (
        <Button onClick={onRetry} variant="secondary" size="sm">
          <RotateCw className="size-3" aria-hidden />
          Retry
        </Button>
      ) : null}
    </Card>
  );
}
