/** The web app's own environment. Only this file reads process.env (STYLE.md rule 4). */
export interface WebEnv {
  /** Public base URL of the ingest service, shown in the "send predictions" examples. */
  PLUMBLINE_INGEST_URL: string;
}

export function readWebEnv(): WebEnv {
  const ingestUrl = process.env.PLUMBLINE_INGEST_URL?.trim();
  return {
    PLUMBLINE_INGEST_URL: (ingestUrl || "http://localhost:3001").replace(/\/+$/, ""),
  };
}

/** True inside `next build` (its workers load instrumentation too); start-up work waits. */
export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}

/** `PLUMBLINE_WEB_STANDALONE=1` at build time emits `.next/standalone` for container images. */
export function wantsStandaloneOutput(): boolean {
  return process.env.PLUMBLINE_WEB_STANDALONE === "1";
}
