/**
 * The demo's stand-in for a team's alert endpoints and their training pipeline: a local HTTP
 * server on 127.0.0.1 that takes Plumbline's deliveries (signed JSON webhooks, Slack-compatible
 * messages, retraining requests), verifies each signature with the channel's secret the way a
 * receiver should, and logs one line per delivery with the detection delay: from the end of the
 * bucket that breached to the moment the delivery arrived.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { DELIVERY_HEADER, verifyWebhookSignature } from "@plumbline/governance";

/** Where each kind of channel posts on the receiver. */
export const RECEIVER_PATHS = {
  webhook: "/hooks/alerts",
  slack: "/hooks/slack",
  retraining: "/hooks/retraining",
} as const;
export type ReceiverPath = keyof typeof RECEIVER_PATHS;

export interface ReceivedDelivery {
  path: ReceiverPath;
  deliveryId: string;
  /** `alert.firing`, `retraining.requested`, ... (the Plumbline-Event header). */
  eventType: string;
  signatureOk: boolean;
  /** What the line says the delivery was about. */
  summary: string;
  /** Received time minus the end of the breaching bucket, when the delivery names one. */
  delayMs: number | null;
  receivedAt: Date;
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const textAt = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * The instant a delivery's detection delay is measured from: the alert's last breaching bucket
 * for alert and retraining webhooks; for a Slack message, the end of the window it shows.
 */
export function breachingBucketEnd(path: ReceiverPath, body: Json): Date | null {
  let text: string | null = null;
  if (path === "slack") {
    const blocks = Array.isArray(body.blocks) ? body.blocks.map(objectAt) : [];
    for (const block of blocks) {
      for (const field of Array.isArray(block.fields) ? block.fields.map(objectAt) : []) {
        const match = /^\*Window\*\n.* to (\S+)$/.exec(textAt(field.text) ?? "");
        if (match) text = match[1]!;
      }
    }
  } else {
    const data = objectAt(body.data);
    text = textAt(data.bucketEnd) ?? textAt(objectAt(data.alert).bucketEnd);
  }
  if (!text || Number.isNaN(Date.parse(text))) return null;
  return new Date(text);
}

function summarize(path: ReceiverPath, eventType: string, body: Json): string {
  if (path === "slack") return textAt(body.text)?.replace(/ <[^>]*>$/, "") ?? "(no text)";
  const data = objectAt(body.data);
  if (eventType === "retraining.requested") {
    const features = Array.isArray(data.driftingFeatures)
      ? data.driftingFeatures.map((feature) => textAt(objectAt(feature).feature)).filter(Boolean)
      : [];
    return `retrain ${textAt(objectAt(data.model).slug) ?? "?"} v${textAt(data.version) ?? "?"}: ${textAt(data.reason) ?? ""}; features: ${features.join(", ") || "none"}`;
  }
  return textAt(data.summary) ?? eventType;
}

export function formatDeliveryLine(delivery: ReceivedDelivery): string {
  const delay =
    delivery.delayMs === null
      ? ""
      : ` | ${(delivery.delayMs / 1000).toFixed(1)} s after the breaching bucket ended`;
  const signature = delivery.signatureOk ? "signature ok" : "SIGNATURE INVALID";
  return `${delivery.path.padEnd(10)} ${delivery.eventType.padEnd(20)} ${signature} | ${delivery.summary}${delay}`;
}

export interface NotificationReceiver {
  /** The receiver's base URL, e.g. http://127.0.0.1:3002. */
  url: string;
  urlOf(path: ReceiverPath): string;
  /** The signing secret of the channel that posts to `path` (known once it is created). */
  setSecret(path: ReceiverPath, secret: string): void;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

/**
 * Starts the receiver on 127.0.0.1:`port` (0: an ephemeral port). `log` gets one line per
 * delivery; `now` is the clock (tests pin it).
 */
export async function startNotificationReceiver(options: {
  port: number;
  log: (line: string) => void;
  now?: () => Date;
}): Promise<NotificationReceiver> {
  const secrets = new Map<ReceiverPath, string>();
  const deliveries: ReceivedDelivery[] = [];
  const clock = options.now ?? (() => new Date());
  const pathOf = (url: string | undefined): ReceiverPath | null => {
    const pathname = (url ?? "").split("?")[0];
    const entry = Object.entries(RECEIVER_PATHS).find(([, value]) => value === pathname);
    return entry ? (entry[0] as ReceiverPath) : null;
  };
  const header = (headers: IncomingHttpHeaders, name: string) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const receivedAt = clock();
      const path = pathOf(request.url);
      if (request.method !== "POST" || !path) {
        response.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const verification = verifyWebhookSignature({
        secret: secrets.get(path) ?? "",
        headers: request.headers,
        body: raw,
        now: receivedAt,
      });
      let body: Json = {};
      try {
        body = objectAt(JSON.parse(raw));
      } catch {
        // Logged as it is: a body that is not JSON still gets its line.
      }
      const eventType = header(request.headers, "Plumbline-Event") ?? "?";
      const bucketEnd = breachingBucketEnd(path, body);
      const delivery: ReceivedDelivery = {
        path,
        deliveryId: header(request.headers, DELIVERY_HEADER) ?? "?",
        eventType,
        signatureOk: verification.ok,
        summary: summarize(path, eventType, body),
        // A resolution has no breaching bucket to measure from: its bucket is the last breach.
        delayMs:
          bucketEnd && eventType !== "alert.resolved"
            ? receivedAt.getTime() - bucketEnd.getTime()
            : null,
        receivedAt,
      };
      deliveries.push(delivery);
      options.log(formatDeliveryLine(delivery));
      // A bad signature is refused, as a real receiver must: the delivery log shows the 401.
      response.writeHead(verification.ok ? 204 : 401).end();
    });
  });
  server.listen(options.port, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    urlOf: (path) => `${url}${RECEIVER_PATHS[path]}`,
    setSecret: (path, secret) => secrets.set(path, secret),
    deliveries,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
