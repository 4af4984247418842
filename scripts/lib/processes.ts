import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

const children = new Set<ChildProcess>();
const colors = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m"];
let nextColor = 0;

function prefixLines(name: string, color: string, chunk: Buffer, write: (text: string) => void) {
  const useColor = process.stdout.isTTY;
  const label = useColor ? `${color}${name.padEnd(8)}\x1b[0m│ ` : `${name.padEnd(8)}│ `;
  const text = chunk.toString("utf8").replace(/\n$/, "");
  write(
    text
      .split("\n")
      .map((line) => label + line)
      .join("\n") + "\n",
  );
}

/** Children started in their own process group, so that a signal reaches their children too. */
const groupLeaders = new WeakSet<ChildProcess>();

/**
 * Signals a child and, when it leads a process group, everything in that group: `tsx` and
 * `next` run the real server as a child of their own, which a signal to the first process
 * alone may leave running.
 */
function signalChild(child: ChildProcess, signal: NodeJS.Signals) {
  if (groupLeaders.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // The group is gone already; fall through to the child itself.
    }
  }
  child.kill(signal);
}

/**
 * Starts a long-running child with its output prefixed by its name; stopped on exit. It runs in
 * its own process group (Ctrl-C reaches it only through this script, which stops the children in
 * order), and stopping it stops the whole group.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { quiet?: boolean } = {},
): ChildProcess {
  const color = colors[nextColor++ % colors.length]!;
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  groupLeaders.add(child);
  children.add(child);
  child.on("exit", () => children.delete(child));
  if (!options.quiet) {
    child.stdout?.on("data", (chunk: Buffer) =>
      prefixLines(name, color, chunk, (text) => process.stdout.write(text)),
    );
  }
  child.stderr?.on("data", (chunk: Buffer) =>
    prefixLines(name, color, chunk, (text) => process.stderr.write(text)),
  );
  return child;
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function runCommand(command: string, args: string[], options: SpawnOptions = {}) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    children.add(child);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Sends SIGTERM to every child and waits (bounded) for them to exit. */
export async function stopAllProcesses(timeoutMs = 10_000) {
  const running = [...children].filter((child) => child.exitCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            signalChild(child, "SIGKILL");
            resolve();
          }, timeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            // Whatever the child left behind in its group goes with it.
            signalChild(child, "SIGKILL");
            resolve();
          });
          signalChild(child, "SIGTERM");
        }),
    ),
  );
}

// A parent killed outright must not leave its children serving.
process.on("exit", () => {
  for (const child of children) signalChild(child, "SIGKILL");
});

/** Polls a URL until it answers 2xx or 3xx. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 400) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s (${lastError})`);
}

/** Runs `cleanup` once on Ctrl-C or SIGTERM, then exits with the given code. */
export function onShutdown(cleanup: () => Promise<void>) {
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n${signal}: stopping Plumbline...`);
    void cleanup().finally(() => process.exit(0));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

/**
 * Runs `waiting` (for example, waits for health checks) and fails at once, naming the service,
 * if one of `services` exits meanwhile: a service that dies at start must not leave its caller
 * waiting for a URL that will never answer.
 */
export async function failOnEarlyExit(
  services: Record<string, ChildProcess>,
  waiting: () => Promise<void>,
): Promise<void> {
  const listeners: (() => void)[] = [];
  const exited = new Promise<never>((_, reject) => {
    for (const [name, child] of Object.entries(services)) {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        reject(new Error(`${name} exited while starting (${signal ?? `exit code ${code}`})`));
      if (child.exitCode !== null) onExit(child.exitCode, null);
      child.once("exit", onExit);
      listeners.push(() => child.off("exit", onExit));
    }
  });
  try {
    await Promise.race([waiting(), exited]);
  } finally {
    for (const remove of listeners) remove();
  }
}
