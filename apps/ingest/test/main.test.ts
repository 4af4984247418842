import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { predictionRecord, startIngestHarness, type IngestHarness } from "./harness";

const appDirectory = fileURLToPath(new URL("..", import.meta.url));

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(async () => {
  await harness.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function waitUntilLive(url: string, child: ChildProcess) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("service did not start");
}

describe("src/main.ts", () => {
  it("serves, then on SIGTERM finishes the in-flight request and exits 0", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: appDirectory,
      env: {
        ...process.env,
        DATABASE_URL: harness.database.url,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilLive(url, child);
      const inFlight = fetch(`${url}/v1/predictions`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.token}`, "content-type": "application/json" },
        body: JSON.stringify({
          records: Array.from({ length: 1000 }, () => predictionRecord()),
        }),
      });
      // Let the request reach the server before asking it to stop.
      await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill("SIGTERM");
      const response = await inFlight;
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ accepted: 1000 });
      const [code] = (await exited) as [number | null, NodeJS.Signals | null];
      expect(code, output).toBe(0);
      expect(output).not.toContain(harness.token);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
