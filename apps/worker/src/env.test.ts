import { afterEach, describe, expect, it, vi } from "vitest";

import { readWorkerEnv } from "./env";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("readWorkerEnv", () => {
  it("defaults every worker variable; unset and empty are the same", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("WORKER_WEBHOOK_INTERVAL_MS", "");
    for (const name of [
      "WORKER_WEBHOOK_BATCH_SIZE",
      "WORKER_WEBHOOK_TIMEOUT_MS",
      "WORKER_PROMOTION_EXPIRY_INTERVAL_MS",
      "WORKER_SESSION_PURGE_INTERVAL_MS",
      "WORKER_RETENTION_INTERVAL_MS",
      "WORKER_MONITOR_INTERVAL_MS",
      "PLUMBLINE_PREDICTION_RETENTION_DAYS",
      "PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS",
      "PLUMBLINE_SMTP_URL",
      "PLUMBLINE_SMTP_FROM",
      "LOG_LEVEL",
    ]) {
      vi.stubEnv(name, undefined);
    }
    expect(readWorkerEnv()).toEqual({
      DATABASE_URL: "postgres://localhost/plumbline",
      WORKER_WEBHOOK_INTERVAL_MS: 2_000,
      WORKER_WEBHOOK_BATCH_SIZE: 10,
      WORKER_WEBHOOK_TIMEOUT_MS: 10_000,
      WORKER_PROMOTION_EXPIRY_INTERVAL_MS: 60_000,
      WORKER_SESSION_PURGE_INTERVAL_MS: 3_600_000,
      WORKER_RETENTION_INTERVAL_MS: 3_600_000,
      WORKER_MONITOR_INTERVAL_MS: 15_000,
      PLUMBLINE_PREDICTION_RETENTION_DAYS: 30,
      PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: { hosts: new Set(), ranges: [] },
      PLUMBLINE_SMTP: null,
      LOG_LEVEL: "info",
    });
  });

  it("reads numbers and the log level", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("WORKER_WEBHOOK_BATCH_SIZE", "25");
    vi.stubEnv("LOG_LEVEL", "warn");
    expect(readWorkerEnv()).toMatchObject({ WORKER_WEBHOOK_BATCH_SIZE: 25, LOG_LEVEL: "warn" });
  });

  it("refuses a bad value and names the variable", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("WORKER_WEBHOOK_TIMEOUT_MS", "soon");
    expect(() => readWorkerEnv()).toThrow(/WORKER_WEBHOOK_TIMEOUT_MS/);
    vi.stubEnv("WORKER_WEBHOOK_TIMEOUT_MS", "0");
    expect(() => readWorkerEnv()).toThrow(/WORKER_WEBHOOK_TIMEOUT_MS/);
    vi.stubEnv("WORKER_WEBHOOK_TIMEOUT_MS", undefined);
    vi.stubEnv("LOG_LEVEL", "loud");
    expect(() => readWorkerEnv()).toThrow(/LOG_LEVEL/);
    vi.stubEnv("LOG_LEVEL", undefined);
    vi.stubEnv("PLUMBLINE_PREDICTION_RETENTION_DAYS", "3651");
    expect(() => readWorkerEnv()).toThrow(/PLUMBLINE_PREDICTION_RETENTION_DAYS/);
  });

  it("reads the webhook allow-list and names an entry it cannot read", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS", "hooks.corp.internal, 10.0.0.0/8");
    const allowed = readWorkerEnv().PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS;
    expect([...allowed.hosts]).toEqual(["hooks.corp.internal"]);
    expect(allowed.ranges).toHaveLength(1);
    vi.stubEnv("PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS", "10.0.0.0/40");
    expect(() => readWorkerEnv()).toThrow(
      /PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS.*10\.0\.0\.0\/40/,
    );
  });

  it("says how to get a database when DATABASE_URL is missing", () => {
    vi.stubEnv("DATABASE_URL", "");
    expect(() => readWorkerEnv()).toThrow(/DATABASE_URL is not set/);
  });
});
