import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";

import { assertAuthSecret } from "@plumbline/auth/env";
import { readAuditKey } from "@plumbline/db/env";

import { wantsStandaloneOutput } from "./src/env";

export default function nextConfig(phase: string): NextConfig {
  // `next build` works without secrets; `next start` refuses to run without them, naming them.
  if (phase === PHASE_PRODUCTION_SERVER) {
    assertAuthSecret();
    readAuditKey();
  }
  return {
    // `next start` warns under standalone output, so it is opt-in for container builds.
    ...(wantsStandaloneOutput() ? { output: "standalone" as const } : {}),
    poweredByHeader: false,
    reactStrictMode: true,
    transpilePackages: ["@plumbline/api", "@plumbline/auth", "@plumbline/db"],
  };
}
