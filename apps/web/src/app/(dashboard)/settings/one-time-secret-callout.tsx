"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";

import { Button } from "~/components/ui/button";

/**
 * A secret the server shows exactly once (an API key's token, a webhook's signing secret):
 * a warning, the secret with a Copy button, what to do with it, and a dismiss button. Takes
 * focus when it appears, so that keyboard and screen-reader users land on it.
 */
export function OneTimeSecretCallout({
  title,
  description,
  secret,
  secretName,
  dismissLabel,
  onDismiss,
  testIds,
  children,
}: {
  title: string;
  description: ReactNode;
  secret: string;
  /** What the secret is called in the copy-failed hint ("key", "secret"). */
  secretName: string;
  dismissLabel: string;
  onDismiss: () => void;
  testIds: { callout: string; secret: string; copy: string; dismiss: string };
  /** How to use the secret, between it and the dismiss button. */
  children?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const copySecret = async () => {
    try {
      // The clipboard API exists only in secure contexts (https or localhost).
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
      setTimeout(() => setCopy("idle"), 2000);
    } catch {
      setCopy("failed");
    }
  };

  return (
    <div
      className="space-y-3 border-b border-amber-200 bg-amber-50/70 px-5 py-4"
      data-testid={testIds.callout}
    >
      <div className="flex items-start gap-3">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
        <div className="min-w-0 flex-1">
          <h3
            ref={heading}
            tabIndex={-1}
            className="text-[13px] font-semibold text-ink outline-none"
          >
            {title}
          </h3>
          <p className="mt-0.5 text-xs wrap-anywhere text-ink-muted">{description}</p>
        </div>
      </div>
      <div className="flex items-stretch gap-2">
        <code
          data-testid={testIds.secret}
          className="min-w-0 flex-1 rounded-lg border border-amber-200 bg-surface px-3 py-2 font-mono text-[12px] break-all text-ink select-all"
        >
          {secret}
        </code>
        <Button onClick={copySecret} data-testid={testIds.copy} variant="secondary">
          {copy === "copied" ? (
            <Check className="size-3.5 text-emerald-600" aria-hidden />
          ) : (
            <Copy className="size-3.5" aria-hidden />
          )}
          {copy === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copy === "failed" ? (
        <p className="text-xs text-danger" role="status">
          This browser did not allow copying; select the {secretName} above and copy it by hand.
        </p>
      ) : null}
      {children}
      <div className="flex justify-end">
        <Button onClick={onDismiss} data-testid={testIds.dismiss}>
          {dismissLabel}
        </Button>
      </div>
    </div>
  );
}
