import { afterEach, describe, expect, it, vi } from "vitest";

import { readWorkerEnv } from "../src/env";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the worker's SMTP settings", () => {
  it("reads the server URL and the sender together", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("PLUMBLINE_SMTP_URL", "smtp://alerts:secret@mail.example.com:587");
    vi.stubEnv("PLUMBLINE_SMTP_FROM", "Plumbline <alerts@example.com>");
    expect(readWorkerEnv().PLUMBLINE_SMTP).toEqual({
      url: "smtp://alerts:secret@mail.example.com:587",
      from: "Plumbline <alerts@example.com>",
    });
  });

  it("is off when no URL is set, even with a sender", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("PLUMBLINE_SMTP_URL", "");
    vi.stubEnv("PLUMBLINE_SMTP_FROM", "alerts@example.com");
    expect(readWorkerEnv().PLUMBLINE_SMTP).toBeNull();
  });

  it("refuses a URL that is not smtp(s), and a URL without a sender, naming the variable", () => {
    vi.stubEnv("DATABASE_URL", "postgres://localhost/plumbline");
    vi.stubEnv("PLUMBLINE_SMTP_FROM", "alerts@example.com");
    vi.stubEnv("PLUMBLINE_SMTP_URL", "https://mail.example.com");
    expect(() => readWorkerEnv()).toThrow(/PLUMBLINE_SMTP_URL: expected smtp:\/\//);
    vi.stubEnv("PLUMBLINE_SMTP_URL", "smtp://mail.example.com:25");
    vi.stubEnv("PLUMBLINE_SMTP_FROM", undefined);
    expect(() => readWorkerEnv()).toThrow(/PLUMBLINE_SMTP_FROM: set the sender address/);
  });
});
