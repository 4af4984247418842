import base from "@plumbline/eslint-config/base";
import nextjs from "@plumbline/eslint-config/nextjs";

export default [
  ...base,
  ...nextjs,
  { ignores: ["next-env.d.ts", ".next/**"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          // These start servers or read migration folders; Turbopack cannot bundle them (gotcha 3).
          paths: ["migrate", "testing", "embedded", "local"].map((entry) => ({
            name: `@plumbline/db/${entry}`,
            message: "The web app reaches the database through @plumbline/db/client only.",
          })),
        },
      ],
    },
  },
];
