import base, { restrictImports } from "@plumbline/eslint-config/base";

// Ingest uses db, contracts and drift; never the tRPC api, the web app's auth or the worker.
export default [
  ...base,
  restrictImports(["@plumbline/auth", "@plumbline/api", "@plumbline/worker"]),
];
