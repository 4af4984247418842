import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { createLogger } from "./logger";
import { startScheduler } from "./scheduler";

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", (line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  return { log, lines };
}

describe("startScheduler", () => {
  it("runs each job again after its interval, never two runs of one job at once", async () => {
    const { log } = capturedLogger();
    let running = 0;
    let mostAtOnce = 0;
    let runs = 0;
    let otherRuns = 0;
    const scheduler = startScheduler(
      [
        {
          name: "slow",
          intervalMs: 1,
          run: async () => {
            running += 1;
            mostAtOnce = Math.max(mostAtOnce, running);
            runs += 1;
            await sleep(20);
            running -= 1;
          },
        },
        { name: "other", intervalMs: 5, run: () => Promise.resolve(void (otherRuns += 1)) },
      ],
      log,
    );
    await sleep(150);
    await scheduler.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(mostAtOnce).toBe(1);
    // Jobs are independent: the slow one does not hold the other back.
    expect(otherRuns).toBeGreaterThan(runs);
  });

  it("logs a run that throws and keeps going", async () => {
    const { log, lines } = capturedLogger();
    let runs = 0;
    const scheduler = startScheduler(
      [
        {
          name: "flaky",
          intervalMs: 1,
          run: () => {
            runs += 1;
            return runs === 1 ? Promise.reject(new Error("database is down")) : Promise.resolve();
          },
        },
      ],
      log,
    );
    await sleep(50);
    await scheduler.stop();
    expect(runs).toBeGreaterThan(1);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        job: "flaky",
        err: expect.objectContaining({ message: "database is down" }) as unknown,
      }),
    );
  });

  it("on stop, signals the running run, waits for it, and starts no other", async () => {
    const { log } = capturedLogger();
    const events: string[] = [];
    let started!: () => void;
    const firstRunStarted = new Promise<void>((resolve) => (started = resolve));
    const scheduler = startScheduler(
      [
        {
          name: "long",
          intervalMs: 1,
          run: async (signal) => {
            events.push("start");
            started();
            await sleep(100);
            events.push(signal.aborted ? "finished after stop was asked" : "finished");
          },
        },
      ],
      log,
    );
    await firstRunStarted;
    await scheduler.stop();
    events.push("stopped");
    await sleep(30);
    expect(events).toEqual(["start", "finished after stop was asked", "stopped"]);
  });

  it("stops at once when no run is in progress, even with a long interval", async () => {
    const { log } = capturedLogger();
    const scheduler = startScheduler(
      [{ name: "hourly", intervalMs: 3_600_000, run: () => Promise.resolve() }],
      log,
    );
    await sleep(20);
    const before = performance.now();
    await scheduler.stop();
    expect(performance.now() - before).toBeLessThan(100);
  });
});
