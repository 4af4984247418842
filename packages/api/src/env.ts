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
}

/** Read on each call (it is cheap), so that a test's `vi.stubEnv` is seen. */
export function readApiEnv(): ApiEnv {
  try {
    return {
      PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: parseAllowedDestinations(
        process.env.PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS,
      ),
    };
  } catch (error) {
    throw new Error(
      `PLUMBLINE_WEBHOOK_ALLOWED_DESTINATIONS: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
