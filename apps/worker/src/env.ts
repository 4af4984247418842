import { z } from "zod";

import {
  parseAllowedDestinations,
  type AllowedDestinations,
} from "@plumbline/api/services/webhooks/destination-guard";
import { requireDatabaseUrl } from "@plumbline/db/env";

import type { SmtpSettings } from "./notifications/send-email";

/** The worker's environment. Only this file reads process.env. */
export interface WorkerEnv {
  DATABASE_URL: string;
  /** Pause between two webhook dispatch runs (default 2000 ms). */
  WORKER_WEBHOOK_INTERVAL_MS: number;
  /** Deliveries claimed, and sent in parallel, at a time (default 10). */
  WORKER_WEBHOOK_BATCH_SIZE: number;
  /** Longest wait for a receiver: resolving, connecting and its answer (default 10000 ms). */
  WORKER_WEBHOOK_TIMEOUT_MS: number;
  /** Pause between two promotion-expiry runs (default 60000 ms). */
  WORKER_PROMOTION_EXPIRY_INTERVAL_MS: number;
  /** Pause between two purges of finished sign-in sessions (default one hour). */
  WORKER_SESSION_PURGE_INTERVAL_MS: number;
  /** Pause between two runs of prediction retention (default one hour). */
  WORKER_RETENTION_INTERVAL_MS: number;
  /** Pause between two monitor evaluation passes (default 15000 ms): docs/monitors.md. */
  WORKER_MONITOR_INTERVAL_MS: number;
  /** Days raw predictions are kept when a project sets none (default 30): docs/retention.md. */
  PLUMBLINE_PREDICTION_RETENTION_DAYS: number;
  /**
   * Internal webhook destinations an operator allows (comma-separated host names, addresses and
   * CIDR ranges; none by default): docs/webhook-destinations.md.
   */
  PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: AllowedDestinations;
  /**
   * The mail server of email channels, from `PLUMBLINE_SMTP_URL` and `PLUMBLINE_SMTP_FROM`;
   * null when no URL is set (email deliveries then fail, saying so, and are retried).
   */
  PLUMBLINE_SMTP: SmtpSettings | null;
  LOG_LEVEL: LogLevel;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Unset and empty both mean "use the default", as in the other apps. */
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().max(max).default(fallback));

const workerVariables = z.object({
  WORKER_WEBHOOK_INTERVAL_MS: positiveInt(2_000),
  // A batch is sent in parallel: the cap keeps one run's open sockets and queued queries modest.
  WORKER_WEBHOOK_BATCH_SIZE: positiveInt(10, 100),
  WORKER_WEBHOOK_TIMEOUT_MS: positiveInt(10_000, 120_000),
  WORKER_PROMOTION_EXPIRY_INTERVAL_MS: positiveInt(60_000),
  WORKER_SESSION_PURGE_INTERVAL_MS: positiveInt(3_600_000),
  WORKER_RETENTION_INTERVAL_MS: positiveInt(3_600_000),
  // A pass finds nothing due most of the time (buckets end every 5 minutes at the finest
  // default); 15 s keeps the delay from a bucket's end to its alert short and the idle cost low.
  WORKER_MONITOR_INTERVAL_MS: positiveInt(15_000),
  // The same bounds as `projects.prediction_retention_days`.
  PLUMBLINE_PREDICTION_RETENTION_DAYS: positiveInt(30, 3650),
  PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseAllowedDestinations(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS).default("info")),
});

const smtpVariables = z
  .object({
    PLUMBLINE_SMTP_URL: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .refine((value) => /^smtps?:\/\/[^/]/i.test(value) && URL.canParse(value), {
          message: "expected smtp://user:pass@host:port or smtps://user:pass@host:port",
        })
        .optional(),
    ),
    PLUMBLINE_SMTP_FROM: z.preprocess(unsetIfEmpty, z.string().min(3).optional()),
  })
  .refine((smtp) => !smtp.PLUMBLINE_SMTP_URL || smtp.PLUMBLINE_SMTP_FROM, {
    path: ["PLUMBLINE_SMTP_FROM"],
    message: "set the sender address (e.g. Plumbline <alerts@example.com>) with PLUMBLINE_SMTP_URL",
  })
  .transform((smtp): SmtpSettings | null =>
    smtp.PLUMBLINE_SMTP_URL && smtp.PLUMBLINE_SMTP_FROM
      ? { url: smtp.PLUMBLINE_SMTP_URL, from: smtp.PLUMBLINE_SMTP_FROM }
      : null,
  );

export function readWorkerEnv(): WorkerEnv {
  const parsed = workerVariables.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid worker environment: ${problems.join("; ")}`);
  }
  const smtp = smtpVariables.safeParse(process.env);
  if (!smtp.success) {
    const problems = smtp.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid worker environment: ${problems.join("; ")}`);
  }
  return { DATABASE_URL: requireDatabaseUrl(), ...parsed.data, PLUMBLINE_SMTP: smtp.data };
}
