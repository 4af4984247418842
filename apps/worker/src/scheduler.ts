import { setTimeout as sleep } from "node:timers/promises";

import type { Logger } from "./logger";

export interface ScheduledJob {
  name: string;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /**
   * One run. `signal` aborts when the worker stops: finish the work in hand, take no more.
   * Several processes may run the same job at once; coordination belongs in the database.
   */
  run: (signal: AbortSignal) => Promise<void>;
}

export interface Scheduler {
  /** Starts no new run, waits for the runs in progress, then resolves. */
  stop: () => Promise<void>;
}

/**
 * Runs each job at once, then again `intervalMs` after each run ends, so that one job's runs
 * never overlap (jobs run independently of each other). A run that throws is logged and the
 * loop carries on: the next run retries whatever was left.
 */
export function startScheduler(jobs: readonly ScheduledJob[], log: Logger): Scheduler {
  const stopping = new AbortController();
  const loops = jobs.map((job) => runRepeatedly(job, stopping.signal, log));
  return {
    stop: async () => {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

async function runRepeatedly(job: ScheduledJob, signal: AbortSignal, log: Logger): Promise<void> {
  while (!signal.aborted) {
    const started = performance.now();
    try {
      await job.run(signal);
      log.debug("job run finished", { job: job.name, ms: Math.round(performance.now() - started) });
    } catch (error) {
      log.error("job run failed; the next run retries", { job: job.name, err: error });
    }
    if (signal.aborted) break;
    try {
      await sleep(job.intervalMs, undefined, { signal });
    } catch {
      // Aborted while waiting: the loop condition ends it.
    }
  }
}
