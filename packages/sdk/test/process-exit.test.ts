import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startIngestDouble, type IngestDouble } from "./ingest-double";

const fixture = fileURLToPath(new URL("./fixtures/log-and-wait.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

let server: IngestDouble;

beforeEach(async () => {
  server = await startIngestDouble();
});

afterEach(async () => {
  await server.close();
});

function startChild(mode: "exit" | "signal") {
  return spawn(process.execPath, ["--import", "tsx", fixture, server.url, mode], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
}

describe("flushing when the process ends", () => {
  it("delivers buffered records on beforeExit when the script simply ends", async () => {
    const child = startChild("exit");
    const [code] = (await once(child, "exit")) as [number | null];

    expect(code).toBe(0);
    expect(server.records().map((record) => record.prediction_id)).toEqual([
      "exit-0",
      "exit-1",
      "exit-2",
    ]);
  });

  it("with flushOnSignals, delivers on SIGTERM, then ends by that signal as before", async () => {
    const child = startChild("signal");
    const [ready] = (await once(child.stdout, "data")) as [Buffer];
    expect(ready.toString()).toContain("ready");
    expect(server.requests).toHaveLength(0);

    child.kill("SIGTERM");
    const [code, signal] = (await once(child, "exit")) as [number | null, string | null];

    expect({ code, signal }).toEqual({ code: null, signal: "SIGTERM" });
    expect(server.records()).toHaveLength(3);
  });
});
