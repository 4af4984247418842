import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

// Web logic (chart data transforms, URL state, formatting) and small components, in a fake DOM.
// Pages and charts as a whole are checked by the Playwright suite in e2e/.
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    name: "web",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
