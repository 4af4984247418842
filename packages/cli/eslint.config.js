import base, { restrictImports } from "@plumbline/eslint-config/base";

// The CLI runs in CI pipelines and talks to the server over HTTP: it depends on the public
// contracts only.
export default [
  ...base,
  restrictImports([
    "@plumbline/db",
    "@plumbline/auth",
    "@plumbline/api",
    "@plumbline/drift",
    "@plumbline/governance",
  ]),
];
