import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import { readAuditKey } from "@plumbline/db/env";

import {
  e2eRoot,
  INGEST_PORT,
  INGEST_URL,
  repoRoot,
  stateFile,
  WEB_PORT,
  WEB_URL,
  type E2EState,
} from "./support/environment";

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 400) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000}s`);
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const relay = (chunk: Buffer) => {
    if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString()}`);
  };
  child.stdout.on("data", relay);
  // Errors always show: a failing test should come with the server's side of the story.
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return child;
}

/** Resolves when `child` prints `text` (the worker has no HTTP port to poll). */
function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`the worker did not say "${text}" within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-10_000);
      if (!seen.includes(text)) return;
      cleanUp();
      resolve();
    };
    const onExit = () => {
      cleanUp();
      reject(new Error(`the worker exited before saying "${text}"`));
    };
    const cleanUp = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/**
 * SIGTERM first, SIGKILL only after 10 s: tsx runs the ingest service in a child process and
 * relays SIGTERM to it, but a SIGKILL to tsx would leave that child running on its port.
 */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Prepares a fresh local database, then starts the built web app and the ingest service on
 * their own ports (3100, 3101) so that a running demo is left alone, and the worker, so that
 * what the browser shows includes what the worker does (webhook attempts, promotion expiry,
 * retention) as in a real deployment. Returns the teardown.
 */
export default async function globalSetup() {
  const tsx = path.join(e2eRoot, "node_modules", ".bin", "tsx");
  const prepared = spawnSync(tsx, [path.join(e2eRoot, "support", "prepare-database.ts")], {
    stdio: "inherit",
    env: process.env,
  });
  if (prepared.status !== 0) throw new Error("Preparing the end-to-end database failed.");
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as E2EState;

  const env = {
    ...process.env,
    DATABASE_URL: state.databaseUrl,
    AUTH_SECRET: "e2e-only-secret-not-for-production-0123456789",
    // The key the seed wrote the audit chain with (the development key unless one is set).
    PLUMBLINE_AUDIT_KEY: readAuditKey(),
    AUTH_URL: WEB_URL,
    PLUMBLINE_INGEST_URL: INGEST_URL,
    NODE_ENV: "production",
  };
  const webDir = path.join(repoRoot, "apps", "web");
  const children: ChildProcess[] = [
    start(
      "ingest",
      tsx,
      [path.join(repoRoot, "apps", "ingest", "src", "main.ts")],
      { ...env, PORT: String(INGEST_PORT) },
      repoRoot,
    ),
    start(
      "worker",
      tsx,
      [path.join(repoRoot, "apps", "worker", "src", "main.ts")],
      // Dispatch often, so that a delivery's attempt shows up while a test looks at it.
      { ...env, WORKER_WEBHOOK_INTERVAL_MS: "500", LOG_LEVEL: "info" },
      repoRoot,
    ),
    start(
      "web",
      path.join(webDir, "node_modules", ".bin", "next"),
      ["start", "-p", String(WEB_PORT)],
      env,
      webDir,
    ),
  ];
  const worker = children[1]!;
  try {
    await Promise.all([
      waitForOutput(worker, '"msg":"worker started"', 60_000),
      waitForHttp(`${INGEST_URL}/readyz`, 60_000),
      waitForHttp(`${WEB_URL}/signin`, 90_000),
    ]);
  } catch (error) {
    await Promise.all(children.map(stop));
    throw error;
  }

  return async () => {
    await Promise.all(children.map(stop));
  };
}
