import type { BlockList } from "node:net";

import { parseTrustedProxies } from "./client-address";

/** The auth package's environment. Only this file reads process.env. */
export interface OidcEnv {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

export interface AuthEnv {
  AUTH_SECRET: string | undefined;
  /** The generic OIDC provider, enabled when issuer, client id and secret are all set. */
  oidc: OidcEnv | null;
  /** First administrator of a fresh database (otherwise a one-time password is printed). */
  PLUMBLINE_ADMIN_EMAIL: string | undefined;
  PLUMBLINE_ADMIN_PASSWORD: string | undefined;
  /**
   * Proxies whose `X-Forwarded-For` is believed (comma-separated addresses and CIDR ranges).
   * Empty by default: the connection's own address is the client's.
   */
  PLUMBLINE_TRUSTED_PROXIES: BlockList;
}

const read = (name: string) => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

export function readAuthEnv(): AuthEnv {
  const issuer = read("AUTH_OIDC_ISSUER");
  const clientId = read("AUTH_OIDC_CLIENT_ID");
  const clientSecret = read("AUTH_OIDC_CLIENT_SECRET");
  const partial = [issuer, clientId, clientSecret].filter(Boolean).length;
  if (partial > 0 && partial < 3) {
    throw new Error(
      "OIDC sign-in needs AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET " +
        "together; set all three or none.",
    );
  }
  return {
    AUTH_SECRET: read("AUTH_SECRET"),
    oidc:
      issuer && clientId && clientSecret
        ? { issuer, clientId, clientSecret, name: read("AUTH_OIDC_NAME") ?? "Single sign-on" }
        : null,
    PLUMBLINE_ADMIN_EMAIL: read("PLUMBLINE_ADMIN_EMAIL"),
    PLUMBLINE_ADMIN_PASSWORD: read("PLUMBLINE_ADMIN_PASSWORD"),
    PLUMBLINE_TRUSTED_PROXIES: parseTrustedProxies(read("PLUMBLINE_TRUSTED_PROXIES") ?? ""),
  };
}

/**
 * Refuses to run a production server without a signing secret: next-auth would build and
 * start, then fail every sign-in at run time.
 */
export function assertAuthSecret(env: AuthEnv = readAuthEnv()): string {
  if (!env.AUTH_SECRET) {
    throw new Error(
      "AUTH_SECRET is not set. Plumbline signs sessions with it; generate one with " +
        "`openssl rand -base64 32` and set AUTH_SECRET before starting the web app.",
    );
  }
  return env.AUTH_SECRET;
}
