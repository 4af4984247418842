import path from "node:path";
import { fileURLToPath } from "node:url";

export const e2eRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(e2eRoot, "..");
export const stateFile = path.join(e2eRoot, ".reports", "e2e-state.json");

export const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
export const INGEST_PORT = Number(process.env.E2E_INGEST_PORT ?? 3101);
export const WEB_URL = `http://localhost:${WEB_PORT}`;
export const INGEST_URL = `http://localhost:${INGEST_PORT}`;

/** What the set-up step made, for the tests to use. */
export interface E2EState {
  databaseUrl: string;
  projectSlug: string;
  password: string;
  users: Record<"viewer" | "ml_engineer" | "approver" | "admin", string>;
  /** Another approver in the project: production promotions need two. */
  secondApprover?: string;
  modelSlug: string;
  /** A model only live-dashboard.spec.ts sends predictions to. */
  liveModelSlug: string;
  /** A model only dashboard.spec.ts sends predictions to (filters, drift, references). */
  driftModelSlug?: string;
  apiKey: string;
  /** A CI key (models:register, evaluations:write, promotions:request, read) for cli.spec.ts. */
  ciApiKey: string;
  /** A staging environment cli.spec.ts promotes to (default policy: one approval). */
  ciEnvironment: string;
  /**
   * A viewer who still has a one-time password, as the first admin of a fresh install has.
   * Optional so that a state file written before it existed still reads.
   */
  oneTimePasswordUser?: { email: string; password: string };
}
