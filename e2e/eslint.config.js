import base from "@plumbline/eslint-config/base";

export default [
  ...base,
  // The end-to-end suite is a composition root: it reads the environment to start the apps.
  { rules: { "no-restricted-properties": "off" } },
];
