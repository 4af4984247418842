"use client";

import { CodeBlock } from "~/components/code-block";

import type { CreatedWebhook } from "./create-webhook-form";
import { OneTimeSecretCallout } from "./one-time-secret-callout";

/**
 * The new webhook's signing secret, shown this once, and how a receiver checks a delivery with
 * it. The header names come from the server (governance's signer).
 */
export function CreatedWebhookCallout({
  created,
  onDismiss,
}: {
  created: CreatedWebhook;
  onDismiss: () => void;
}) {
  const { verification } = created;

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
    <OneTimeSecretCallout
      title="Webhook created. Copy its signing secret now: it won’t be shown again."
      description={
        <>
          Deliveries to <span className="font-mono">{created.webhook.url}</span> are signed with
          this secret. If you lose it, delete the webhook and add it again.
        </>
      }
      secret={created.secret}
      secretName="secret"
      dismissLabel="I have saved the secret"
      onDismiss={onDismiss}
      testIds={{
        callout: "webhook-created",
        secret: "webhook-secret",
        copy: "webhook-secret-copy",
        dismiss: "webhook-created-dismiss",
      }}
    >
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
    </OneTimeSecretCallout>
  );
}
