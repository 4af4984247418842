import base, { restrictImports } from "@plumbline/eslint-config/base";

// The monitoring core is pure, like the governance core: it reads contracts (the enums and the
// settings schema) and the drift package's statistics, never the database or the routers.
export default [
  ...base,
  restrictImports(["@plumbline/db", "@plumbline/auth", "@plumbline/api", "@plumbline/sdk"]),
];
