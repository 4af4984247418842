import base, { restrictImports } from "@plumbline/eslint-config/base";

// The governance core sits at the bottom of the layering, beside drift and contracts: it is pure
// and imports no other workspace package.
export default [
  ...base,
  restrictImports([
    "@plumbline/db",
    "@plumbline/auth",
    "@plumbline/api",
    "@plumbline/contracts",
    "@plumbline/drift",
    "@plumbline/sdk",
  ]),
];
