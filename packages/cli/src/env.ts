/** The CLI's environment. Only this file reads process.env (STYLE.md rule 4). */
export interface CliEnv {
  /** Base URL of the Plumbline web app, e.g. https://plumbline.example.com. */
  PLUMBLINE_URL: string | undefined;
  /** Base URL of the ingest service, e.g. http://localhost:3001 (`baseline upload`). */
  PLUMBLINE_INGEST_URL: string | undefined;
  /** An API key with the scopes the command needs. */
  PLUMBLINE_API_KEY: string | undefined;
}

export function readCliEnv(): CliEnv {
  return {
    PLUMBLINE_URL: process.env.PLUMBLINE_URL?.trim() || undefined,
    PLUMBLINE_INGEST_URL: process.env.PLUMBLINE_INGEST_URL?.trim() || undefined,
    PLUMBLINE_API_KEY: process.env.PLUMBLINE_API_KEY?.trim() || undefined,
  };
}
