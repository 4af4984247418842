import {
  parseAllowedDestinations,
  type AllowedDestinations,
} from "./services/webhooks/destination-guard";

/** The api package's environment. Only this file reads process.env. */
export interface ApiEnv {
  /**
   * Internal webhook destinations an operator allows (comma-separated host names, addresses and
   * CIDR ranges; empty by default): see docs/webhook-destinations.md.
   */
  PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: AllowedDestinations;
  /**
   * Where people open the web app (default `http://localhost:3000`, no trailing slash): the base
   * of the links that notifications and retraining requests carry.
   */
  PLUMBLINE_WEB_URL: string;
}

export const DEFAULT_WEB_URL = "http://localhost:3000";

/** Read on each call (it is cheap), so that a test's `vi.stubEnv` is seen. */
export function readApiEnv(): ApiEnv {
  let allowed: AllowedDestinations;
  try {
    allowed = parseAllowedDestinations(process.env.PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS);
  } catch (error) {
    throw new Error(
      `PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: allowed,
    PLUMBLINE_WEB_URL: parseWebUrl(process.env.PLUMBLINE_WEB_URL),
  };
}

function parseWebUrl(value: string | undefined): string {
  if (value === undefined || value.trim() === "") return DEFAULT_WEB_URL;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(
      `PLUMBLINE_WEB_URL: "${value}" is not a URL (e.g. https://plumbline.example.com)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`PLUMBLINE_WEB_URL: use an http or https URL, not ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, "");
}
