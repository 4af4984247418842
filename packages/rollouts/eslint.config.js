import base, { restrictImports } from "@plumbline/eslint-config/base";

// The rollout core is pure, like the governance and monitoring cores: strategies, the deployment
// state machine and the analysis rules, with the drift package's statistics and nothing that
// does I/O.
export default [
  ...base,
  restrictImports(["@plumbline/db", "@plumbline/auth", "@plumbline/api", "@plumbline/sdk"]),
];
