import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "worker",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
