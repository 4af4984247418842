import { spawn } from "node:child_process";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { repoRoot } from "../support/environment";

const STARTUP_PORT = Number(process.env.E2E_STARTUP_PORT ?? 3190);
const EXIT_DEADLINE_MS = 30_000;

/** Runs a command and resolves with its exit code and output, or null if it is still running. */
function runUntilExit(command: string, args: string[], options: Parameters<typeof spawn>[2]) {
  return new Promise<{ code: number | null; signal: string | null; output: string }>(
    (resolve, reject) => {
      const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new Error(
            `next start was still running after ${EXIT_DEADLINE_MS / 1000}s without AUTH_SECRET.\n${output}`,
          ),
        );
      }, EXIT_DEADLINE_MS);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, output });
      });
    },
  );
}

test("the production web server refuses to start without AUTH_SECRET, naming it", async () => {
  test.setTimeout(EXIT_DEADLINE_MS + 15_000);
  const webDir = path.join(repoRoot, "apps", "web");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  delete env.AUTH_SECRET;

  const result = await runUntilExit(
    path.join(webDir, "node_modules", ".bin", "next"),
    ["start", "-p", String(STARTUP_PORT)],
    { cwd: webDir, env },
  );

  expect(result.code, `exit code (signal ${result.signal}); output:\n${result.output}`).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.output).toContain("AUTH_SECRET");
});
