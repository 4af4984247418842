"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useEffect, useRef, useState } from "react";

import { CodeBlock } from "~/components/code-block";

import type { CreatedApiKey } from "./create-api-key-form";

/**
 * The new key's token, shown this once: the server keeps only a hash, so it cannot be shown
 * again. Takes focus when it appears so that keyboard and screen-reader users land on it.
 */
export function CreatedApiKeyCallout({
  created,
  ingestUrl,
  exampleModelSlug,
  onDismiss,
}: {
  created: CreatedApiKey;
  ingestUrl: string;
  exampleModelSlug: string;
  onDismiss: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const copyToken = async () => {
    try {
      // The clipboard API exists only in secure contexts (https or localhost).
      await navigator.clipboard.writeText(created.token);
      setCopy("copied");
      setTimeout(() => setCopy("idle"), 2000);
    } catch {
      setCopy("failed");
    }
  };

  const curl = [
    `curl -X POST ${ingestUrl}/v1/predictions \\`,
    `  -H "Authorization: Bearer ${created.token}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"records": [{`,
    `    "prediction_id": "example-1",`,
    `    "timestamp": "'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'",`,
    `    "model": {"id": "${exampleModelSlug}", "version": "1"},`,
    `    "features": {"income": 42000},`,
    `    "prediction": {"label": "repay", "score": 0.87}}]}'`,
  ].join("\n");

  return (
    <div
      className="space-y-3 border-b border-amber-200 bg-amber-50/70 px-5 py-4"
      data-testid="api-key-created"
    >
      <div className="flex items-start gap-3">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
        <div className="min-w-0 flex-1">
          <h3
            ref={heading}
            tabIndex={-1}
            className="text-[13px] font-semibold text-ink outline-none"
          >
            Key “{created.key.name}” created. Copy it now: it won’t be shown again.
          </h3>
          <p className="mt-0.5 text-xs text-ink-muted">
            Plumbline stores only a hash of the secret. If you lose this key, revoke it and create
            another.
          </p>
        </div>
      </div>
      <div className="flex items-stretch gap-2">
        <code
          data-testid="api-key-token"
          className="min-w-0 flex-1 rounded-lg border border-amber-200 bg-surface px-3 py-2 font-mono text-[12px] break-all text-ink select-all"
        >
          {created.token}
        </code>
        <button
          type="button"
          onClick={copyToken}
          data-testid="api-key-copy"
          className="inline-flex shrink-0 items-center gap-1.5 rounded-lg border border-line-strong bg-surface px-3 text-[13px] font-medium text-ink shadow-card hover:bg-canvas"
        >
          {copy === "copied" ? (
            <Check className="size-3.5 text-emerald-600" aria-hidden />
          ) : (
            <Copy className="size-3.5" aria-hidden />
          )}
          {copy === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      {copy === "failed" ? (
        <p className="text-xs text-danger" role="status">
          This browser did not allow copying; select the key above and copy it by hand.
        </p>
      ) : null}
      <CodeBlock code={curl} label="Try it: POST /v1/predictions" />
      <div className="flex justify-end">
        <button
          type="button"
          onClick={onDismiss}
          data-testid="api-key-created-dismiss"
          className="inline-flex h-8 items-center rounded-lg bg-ink px-3 text-[13px] font-medium text-white hover:bg-zinc-800"
        >
          I have saved the key
        </button>
      </div>
    </div>
  );
}
