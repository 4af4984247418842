"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useEffect, useRef, useState } from "react";

import { CodeBlock } from "~/components/code-block";

import type { CreatedWebhook } from "./create-webhook-form";

/**
 * The new webhook's signing secret, shown this once, and how a receiver checks a delivery with
 * it. The header names come from the server (governance's signer). Takes focus when it appears,
 * so that keyboard and screen-reader users land on it.
 */
export function CreatedWebhookCallout({
  created,
  onDismiss,
}: {
  created: CreatedWebhook;
  onDismiss: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const { verification } = created;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const copySecret = async () => {
    try {
      // The clipboard API exists only in secure contexts (https or localhost).
      await navigator.clipboard.writeText(created.secret);
      setCopy("copied");
      setTimeout(() => setCopy("idle"), 2000);
    } catch {
      setCopy("failed");
    }
  };

  // Node lower-cases incoming header names.
  const header = (name: string) => `req.headers["${name.toLowerCase()}"]`;
  const example = [
    `import { createHmac, timingSafeEqual } from "node:crypto";`,
    ``,
    `// rawBody: the request body exactly as received, before any JSON parsing.`,
    `const timestamp = ${header(verification.timestampHeader)};`,
    `const deliveryId = ${header(verification.deliveryHeader)};`,
    `const expected = createHmac("sha256", process.env.PLUMBLINE_WEBHOOK_SECRET)`,
    "  .update(`${timestamp}.${deliveryId}.${rawBody}`)",
    `  .digest();`,
    `const signed = ${header(verification.signatureHeader)}`,
    `  .split(",")`,
    `  .map((part) => part.trim())`,
    `  .some((part) => /^v1=[0-9a-f]{64}$/.test(part) &&`,
    `    timingSafeEqual(Buffer.from(part.slice(3), "hex"), expected));`,
    `const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= ${verification.toleranceSeconds};`,
    `// Accept when signed && fresh, and skip a deliveryId you have already processed.`,
  ].join("\n");

  return (
    <div
      className="space-y-3 border-b border-amber-200 bg-amber-50/70 px-5 py-4"
      data-testid="webhook-created"
    >
      <div className="flex items-start gap-3">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
        <div className="min-w-0 flex-1">
          <h3
            ref={heading}
            tabIndex={-1}
            className="text-[13px] font-semibold text-ink outline-none"
          >
            Webhook created. Copy its signing secret now: it won’t be shown again.
          </h3>
          <p className="mt-0.5 text-xs break-all text-ink-muted">
            Deliveries to <span className="font-mono">{created.webhook.url}</span> are signed with
            this secret. If you lose it, delete the webhook and add it again.
          </p>
        </div>
      </div>
      <div className="flex items-stretch gap-2">
        <code
          data-testid="webhook-secret"
          className="min-w-0 flex-1 rounded-lg border border-amber-200 bg-surface px-3 py-2 font-mono text-[12px] break-all text-ink select-all"
        >
          {created.secret}
        </code>
        <button
          type="button"
          onClick={copySecret}
          data-testid="webhook-secret-copy"
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
          This browser did not allow copying; select the secret above and copy it by hand.
        </p>
      ) : null}

      <div className="rounded-lg border border-amber-200 bg-surface px-4 py-3">
        <h4 className="text-xs font-semibold text-ink">How to verify a delivery</h4>
        <dl
          className="mt-2 grid gap-x-4 gap-y-1.5 text-xs sm:grid-cols-[auto_minmax(0,1fr)]"
          data-testid="webhook-verify-headers"
        >
          <dt className="font-mono text-ink">{verification.signatureHeader}</dt>
          <dd className="text-ink-muted">
            <span className="font-mono">v1=</span> and the hex {verification.algorithm} of{" "}
            <span className="font-mono text-ink">{verification.signedContent}</span> with the
            secret. While a secret rotates it lists several, comma-separated; one match is enough.
          </dd>
          <dt className="font-mono text-ink">{verification.timestampHeader}</dt>
          <dd className="text-ink-muted">
            When it was signed, in Unix seconds. Refuse deliveries more than{" "}
            {verification.toleranceSeconds / 60} minutes away from your clock (replays).
          </dd>
          <dt className="font-mono text-ink">{verification.deliveryHeader}</dt>
          <dd className="text-ink-muted">
            The delivery’s id; retries repeat it, so skip ids you have already processed.
          </dd>
        </dl>
      </div>
      <CodeBlock code={example} label="Verify in Node.js" />
      <div className="flex justify-end">
        <button
          type="button"
          onClick={onDismiss}
          data-testid="webhook-created-dismiss"
          className="inline-flex h-8 items-center rounded-lg bg-ink px-3 text-[13px] font-medium text-white hover:bg-zinc-800"
        >
          I have saved the secret
        </button>
      </div>
    </div>
  );
}
