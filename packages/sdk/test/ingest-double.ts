import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/**
 * A stand-in for the ingest service's network peer, speaking the HTTP API of
 * `docs/ingest-api.md`: it records every request (gunzipping bodies like the server does) and
 * answers from a script, then with 202 and the count of records received.
 */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent on the wire (possibly gzipped). */
  rawBody: Buffer;
  /** The decoded JSON body. */
  body: { records?: Array<Record<string, unknown>>; labels?: Array<Record<string, unknown>> };
  receivedAt: number;
}

export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Close the socket without answering, like a crashed server or a broken proxy. */
  | "drop";

export interface IngestDouble {
  url: string;
  requests: ReceivedRequest[];
  /** Answers for the next requests, in order; afterwards every request gets 202. */
  script(...answers: ScriptedAnswer[]): void;
  /** Every request gets this answer from now on (until `script` or `reset`). */
  answerAlways(answer: ScriptedAnswer): void;
  /** Every record ever received, in arrival order (retries included). */
  records(): Array<Record<string, unknown>>;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function accepted(body: ReceivedRequest["body"]) {
  const count = (body.records ?? body.labels ?? []).length;
  return { status: 202, body: { accepted: count, duplicates: 0, rejected: [], warnings: [] } };
}

function send(response: ServerResponse, answer: Exclude<ScriptedAnswer, "drop">) {
  response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
  response.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
}

export async function startIngestDouble(): Promise<IngestDouble> {
  const requests: ReceivedRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  let always: ScriptedAnswer | null = null;
  const arrivals = new Set<() => void>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const text =
        request.headers["content-encoding"] === "gzip"
          ? gunzipSync(rawBody).toString("utf8")
          : rawBody.toString("utf8");
      const body = JSON.parse(text) as ReceivedRequest["body"];
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        rawBody,
        body,
        receivedAt: Date.now(),
      });
      for (const notify of arrivals) notify();
      const answer = scripted.shift() ?? always ?? accepted(body);
      if (answer === "drop") request.socket.destroy();
      else send(response, answer);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => {
      always = null;
      scripted.push(...answers);
    },
    answerAlways: (answer) => {
      always = answer;
    },
    records: () => requests.flatMap((request) => request.body.records ?? request.body.labels ?? []),
    waitForRequests: (count, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          arrivals.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          arrivals.delete(check);
          reject(new Error(`expected ${count} requests, got ${requests.length}`));
        }, timeoutMs);
        arrivals.add(check);
        check();
      }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
