import base, { restrictImports } from "@plumbline/eslint-config/base";

// Contracts are the bottom of the layering: governance imports them, so never the reverse.
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
