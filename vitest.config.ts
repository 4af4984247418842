import { defineConfig } from "vitest/config";

// One run over every package (what `pnpm test` and CI use); each package also runs alone with
// `pnpm --filter <package> test`.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/ingest", "apps/worker", "apps/web", "scripts"],
  },
});
