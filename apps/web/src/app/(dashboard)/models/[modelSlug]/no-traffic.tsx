import { Radio } from "lucide-react";
import type { ReactNode } from "react";

import { CodeBlock } from "~/components/code-block";
import { EmptyState } from "~/components/ui/empty-state";

/** The curl call that logs one prediction for this model at this project's ingest endpoint. */
export function firstPredictionCurl(ingestUrl: string, modelSlug: string): string {
  return [
    `curl -X POST ${ingestUrl}/v1/predictions \\`,
    `  -H "Authorization: Bearer $PLUMBLINE_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model": {"id": "${modelSlug}", "version": "1"}, "records": [{`,
    `    "prediction_id": "example-1",`,
    `    "timestamp": "'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'",`,
    `    "features": {"age": 42},`,
    `    "prediction": {"label": "approve", "score": 0.87}}]}'`,
  ].join("\n");
}

/** A model that never logged a prediction: how to send the first one. */
export function NoTraffic({
  ingestUrl,
  modelSlug,
  status,
}: {
  ingestUrl: string;
  modelSlug: string;
  status: ReactNode;
}) {
  return (
    <EmptyState
      icon={Radio}
      title="No predictions yet"
      testId="no-traffic"
      wide
      action={
        <div className="space-y-3">
          <CodeBlock
            code={firstPredictionCurl(ingestUrl, modelSlug)}
            label="POST /v1/predictions"
          />
          <div className="flex justify-center">{status}</div>
        </div>
      }
    >
      Send some from your inference service and they appear here within seconds, without reloading.
      Use a project API key with the <code className="font-mono">predictions:write</code> scope
      (Settings → API keys; the demo prints one when it starts).
    </EmptyState>
  );
}
