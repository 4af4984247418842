import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A request while PostgreSQL is down or restarting answers 503 with Retry-After within 2 s
 * (the connection attempt is bounded by INGEST_DB_CONNECT_TIMEOUT_MS, 1.5 s by default)
 * instead of hanging until the client gives up. The "database" is a loopback listener that
 * accepts connections and never answers, as a server that is still starting up does.
 */

const appDirectory = fileURLToPath(new URL("..", import.meta.url));

let silent: Server;
const sockets = new Set<Socket>();

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(() => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
});

afterAll(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
});

describe("src/main.ts while the database does not answer", () => {
  it("answers 503 with Retry-After within 2.5 s", async () => {
    const databasePort = await listen(silent);
    const probe = createServer();
    const port = await listen(probe);
    probe.close();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: appDirectory,
      env: {
        ...process.env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${databasePort}/silent`,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "fatal",
        INGEST_CLOUDEVENT_SWEEP_MS: "600000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      let live = false;
      for (let attempt = 0; attempt < 300 && !live; attempt += 1) {
        if (child.exitCode !== null) throw new Error(`service exited: ${output}`);
        live = await fetch(`${url}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        if (!live) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(live, output).toBe(true);

      const started = Date.now();
      const response = await fetch(`${url}/v1/predictions`, {
        method: "POST",
        headers: {
          // A well-formed key: checking it needs the database.
          authorization: `Bearer pl_live_abcdefghijkl_${"A".repeat(43)}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ records: [] }),
        signal: AbortSignal.timeout(15_000),
      });
      const elapsed = Date.now() - started;
      expect(response.status, await response.clone().text()).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ error: "database_unavailable" });
      expect(elapsed).toBeLessThan(2_500);
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    }
  }, 60_000);
});
