// Shared ESLint flat config: type-aware rules for every TypeScript package.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Layering: a lower package never imports a higher one
 * (drift, contracts -> db -> auth -> api -> apps).
 * @param {string[]} forbidden workspace packages this package must not import
 * @param {{ name: string, message: string }[]} [paths] single entry points refused as well
 */
export function restrictImports(forbidden, paths = []) {
  return {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths,
          patterns: forbidden.map((name) => ({
            group: [name, `${name}/*`],
            message: `${name} sits above this package; dependencies point one way (see STYLE.md).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/.next/**", "**/node_modules/**", "**/*.config.*", "**/drizzle/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "separate-type-imports" },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Only env.ts files read process.env (STYLE.md rule 4).",
        },
      ],
    },
  },
  {
    files: ["**/env.ts", "**/*.test.ts", "**/test/**", "**/scripts/**"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
