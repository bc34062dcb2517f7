// House style, checked by `npm run check` and fixed by `npm run fmt`: Effect's own formatting (dprint through
// @effect/eslint-plugin, with the configuration of Effect's repositories: 2 spaces, width 120, no semicolons,
// double quotes, no trailing commas; dprint.json, which the model generator formats its output with too) and
// typescript-eslint's recommended rules.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import { readFileSync } from "node:fs"
import tseslint from "typescript-eslint"

const dprint = JSON.parse(readFileSync(new URL("dprint.json", import.meta.url), "utf8"))

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/build/**", "**/dist/**", "**/.tsbuildinfo", "v/**", "**/*.md"]
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  ...effectEslint.configs.dprint,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "@effect/dprint": ["error", { config: dprint }],
      "@typescript-eslint/array-type": ["error", { default: "generic", readonly: "generic" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-empty-object-type": "off"
    }
  },
  {
    // A function a reader cannot see whole is split by what it does; one that reads best whole (a table-like
    // switch) says why in an eslint-disable comment. Type assertions are refused in src.
    files: ["packages/*/src/**/*.ts"],
    ignores: ["packages/*/src/generated/**"],
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
      // No `x as T` in library code: the types come from the schemas (`as const` stays allowed).
      "@typescript-eslint/consistent-type-assertions": ["error", { assertionStyle: "never" }]
    }
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly" } }
  }
)
