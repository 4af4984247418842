import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import { verifyWebhookSignature, type WebhookVerification } from "@plumbline/governance";

export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The governance package's verification of the signature, with the receiver's secret. */
  verification: WebhookVerification;
}

export interface Answer {
  status: number;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** Never answer (until the receiver closes). */
export const HANG = "hang";

type Responder = (request: ReceivedRequest, index: number) => Answer | typeof HANG;

/**
 * A real HTTP server standing in for a customer's webhook endpoint: it verifies every request's
 * signature the way a receiver would (a bad one gets 401, as the README tells receivers to do)
 * and otherwise answers what `respond` says (200 by default).
 */
export async function startReceiver(respond: Responder = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  const state = { secret: "", respond };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const received: ReceivedRequest = {
        method: request.method ?? "",
        headers: request.headers,
        body,
        verification: verifyWebhookSignature({
          secret: state.secret,
          headers: request.headers,
          body,
        }),
      };
      requests.push(received);
      if (!received.verification.ok) {
        response.writeHead(401).end(received.verification.reason);
        return;
      }
      const answer = state.respond(received, requests.length - 1);
      if (answer === HANG) return;
      setTimeout(() => response.writeHead(answer.status).end(answer.body ?? ""), answer.delayMs);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/plumbline`,
    requests,
    /** The subscription's secret, known once the webhook is created with this receiver's url. */
    set secret(value: string) {
      state.secret = value;
    },
    set respond(value: Responder) {
      state.respond = value;
    },
    /** Requests per `Plumbline-Delivery` id. */
    hitsByDelivery() {
      const hits = new Map<string, number>();
      for (const request of requests) {
        const id = String(request.headers["plumbline-delivery"]);
        hits.set(id, (hits.get(id) ?? 0) + 1);
      }
      return hits;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
