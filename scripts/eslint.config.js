import base from "@plumbline/eslint-config/base";

export default [
  ...base,
  // Developer commands are the composition root: they read the environment and pass it on.
  { rules: { "no-restricted-properties": "off", "no-console": "off" } },
];
