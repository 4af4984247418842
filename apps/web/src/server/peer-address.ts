import http from "node:http";

import { PEER_ADDRESS_HEADER } from "@plumbline/auth/client-address";

let installed = false;

/**
 * Stamps every incoming request with the address of its connection, overwriting a copy sent by
 * the client. Next.js hands route handlers no socket, and fills `X-Forwarded-For` with the
 * peer only when the client sent none, so a client could otherwise pick its own address.
 * Runs once from `instrumentation.ts`, before the server answers its first request.
 */
export function stampPeerAddresses(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = http.Server.prototype.emit as (event: string, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
