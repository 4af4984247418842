import base, { restrictImports } from "@plumbline/eslint-config/base";

export default [
  ...base,
  restrictImports(["@plumbline/contracts", "@plumbline/db", "@plumbline/auth", "@plumbline/api"]),
];
