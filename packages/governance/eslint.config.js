import base, { restrictImports } from "@plumbline/eslint-config/base";

// The governance core sits at the bottom of the layering, just above contracts: it is pure and
// imports only contracts, whose shared vocabularies (roles, model tasks, risk tiers) it must
// not copy (one source for each list).
export default [
  ...base,
  restrictImports([
    "@plumbline/db",
    "@plumbline/auth",
    "@plumbline/api",
    "@plumbline/drift",
    "@plumbline/sdk",
  ]),
];
