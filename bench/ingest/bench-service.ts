// What the ingest benchmarks share about processes: the ingest service started on a free
// loopback port (ready once /readyz answers), a tsx child whose last stdout line is its JSON
// result, and the percentile their latencies are reported by. Node builtins only, so that the
// load generator can import it without loading the database packages.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ingestDirectory = path.join(root, "apps", "ingest");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** The value at `p` (0..1) of ascending `sorted` (nearest rank), 0 when there is none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export interface IngestService {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  child: ChildProcess;
  /** Stops the service (SIGTERM) and waits for it to exit. */
  stop: () => Promise<void>;
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

/**
 * Starts `apps/ingest` against `databaseUrl` (with `env` on top) and resolves once /readyz
 * answers. Node itself runs it, not the tsx wrapper, so that the process's RSS and CPU are the
 * service's own; BENCH_PROFILE_DIR runs it with `--cpu-prof` and writes its profile there.
 */
export async function startIngestService(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<IngestService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profileDirectory = process.env.BENCH_PROFILE_DIR;
  const profiling = profileDirectory
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDirectory)}`]
    : [];
  const child = spawn(process.execPath, [...profiling, "--import", "tsx", "src/main.ts"], {
    cwd: ingestDirectory,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) break;
      } catch {
        // Still starting.
      }
      if (attempt > 300) throw new Error("the ingest service did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, child, stop: () => stopChild(child) };
}

/**
 * Runs `tsx <script> <args>` with stderr shown and returns the last line it printed, parsed as
 * JSON; `name` tells which child failed when it exits with an error.
 */
export async function runJsonChild<T>(script: string, args: string[], name: string): Promise<T> {
  const child = spawn(tsx, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${name} exited with ${code}`);
  return JSON.parse(output.trim().split("\n").at(-1)!) as T;
}
