import base, { restrictImports } from "@plumbline/eslint-config/base";

// The SDK ships to inference services: its source depends on the public contracts only. Its tests
// may start the real ingest app on a real database.
export default [
  ...base,
  {
    ...restrictImports([
      "@plumbline/db",
      "@plumbline/auth",
      "@plumbline/api",
      "@plumbline/drift",
      "@plumbline/ingest",
    ]),
    files: ["src/**/*.ts"],
  },
];
