import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

import { startEmbeddedPostgres } from "../src/embedded";

const dataRoot = mkdtempSync(path.join(tmpdir(), "plumbline-embedded-"));
const dataDir = path.join(dataRoot, "pg");
const port = 55_000 + Math.floor(Math.random() * 5_000);
const here = path.dirname(fileURLToPath(import.meta.url));

afterAll(() => {
  rmSync(dataRoot, { recursive: true, force: true });
});

async function selectOne(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ answer: number }[]>`select 1 as answer`;
    return row!.answer;
  } finally {
    await sql.end();
  }
}

/** Starts the server from a child process, then kills that process with SIGKILL. */
async function startAndKillParent(): Promise<number> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(here, "fixtures", "start-embedded.ts"), dataDir, String(port)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("READY")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("exit", resolve));
  return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

describe("embedded PostgreSQL", () => {
  it("recovers the server orphaned by a SIGKILLed parent and starts cleanly", async () => {
    const orphanPid = await startAndKillParent();
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    const server = await startEmbeddedPostgres({ dataDir, port, log: () => undefined });
    try {
      expect(await selectOne(server.url)).toBe(1);
      expect(() => process.kill(orphanPid, 0)).toThrow();
    } finally {
      await server.stop();
    }
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });

  it("removes a stale postmaster.pid whose process is gone", async () => {
    writeFileSync(path.join(dataDir, "postmaster.pid"), "999999\n" + dataDir + "\n");
    const server = await startEmbeddedPostgres({ dataDir, port, log: () => undefined });
    try {
      expect(await selectOne(server.url)).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
