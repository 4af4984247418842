import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createWorkerFixture, type WorkerFixture } from "./fixture";
import { startReceiver, type Receiver } from "./receiver";

const appDirectory = fileURLToPath(new URL("..", import.meta.url));

let f: WorkerFixture;
let receiver: Receiver;

beforeAll(async () => {
  f = await createWorkerFixture();
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await f.drop();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("src/main.ts", () => {
  it("delivers, then on SIGTERM finishes the delivery in flight, closes the pool and exits 0", async () => {
    receiver.respond = () => ({ status: 200, delayMs: 1_000 });
    const { secret } = await f.subscribe(receiver);
    const eventId = await f.publish();

    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: appDirectory,
      env: {
        ...process.env,
        DATABASE_URL: f.database.url,
        WORKER_WEBHOOK_INTERVAL_MS: "100",
        // The receiver is on loopback, which only an operator's allow-list opens.
        PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: "127.0.0.1",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    try {
      await waitFor(() => receiver.requests.length === 1, "the delivery to arrive");
      // The receiver holds its answer for a second: the worker is mid-send.
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null, NodeJS.Signals | null];
      expect(code, output).toBe(0);
      expect(await f.deliveryOfEvent(eventId)).toMatchObject({
        status: "succeeded",
        attempts: 1,
        responseCode: 200,
      });
      expect(output).toContain('"msg":"worker started"');
      expect(output).toContain('"msg":"worker stopped"');
      expect(output).not.toContain(secret);
      // Stopped means stopped: nothing is claimed after exit.
      expect(receiver.requests).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
