"use client";

import { CodeBlock } from "~/components/code-block";

import type { CreatedApiKey } from "./create-api-key-form";
import { OneTimeSecretCallout } from "./one-time-secret-callout";

/**
 * The new key's token, shown this once: the server keeps only a hash, so it cannot be shown
 * again.
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
    <OneTimeSecretCallout
      title={`Key “${created.key.name}” created. Copy it now: it won’t be shown again.`}
      description="Plumbline stores only a hash of the secret. If you lose this key, revoke it and create another."
      secret={created.token}
      secretName="key"
      dismissLabel="I have saved the key"
      onDismiss={onDismiss}
      testIds={{
        callout: "api-key-created",
        secret: "api-key-token",
        copy: "api-key-copy",
        dismiss: "api-key-created-dismiss",
      }}
    >
      <CodeBlock code={curl} label="Try it: POST /v1/predictions" />
    </OneTimeSecretCallout>
  );
}
