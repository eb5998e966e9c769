import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// One direction of imports (ui -> services -> core; adapters implement core's ports), enforced here.
const frameworkImports = [
  {
    group: ["react", "react-dom", "react/*", "react-dom/*"],
    message: "core and services stay UI-free.",
  },
  { group: ["@fluentui/*"], message: "core and services stay UI-free." },
  {
    group: ["@microsoft/*", "@azure/*"],
    message: "Graph, MSAL and Office belong in src/adapters.",
  },
  {
    group: ["**/adapters/**", "**/taskpane/**", "**/commands/**"],
    message: "Depend on ports, not on adapters or UI.",
  },
];
// The pane's features own their code: a feature may import shared/, services and core, never
// another feature (the shell composes them). Relative specifiers, so matched by regex.
const FEATURES = ["consent", "save", "projects", "stored", "activity", "privacy"];
const featureRules = FEATURES.map((feature) => ({
  files: [`src/taskpane/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(features/)?(${FEATURES.filter((f) => f !== feature).join("|")})/`,
            message: "A feature imports no other feature: move what both need to shared/.",
          },
        ],
      },
    ],
  },
}));
// No function over 80 lines (blank lines and comments not counted) in src/: a factory that returns
// methods counts as one function, as its closure is one scope to read.
const MAX_FUNCTION_LINES = 80;
const officeGlobal = [
  { name: "Office", message: "Use getOfficeRuntime() from src/adapters/office/runtime.ts." },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "dist-demo/",
      ".demo-data/",
      "coverage/",
      "test-results/",
      "bench/results*.json",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["src/**/*.tsx", "src/taskpane/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/adapters/office/runtime.ts"],
    rules: {
      "no-restricted-globals": ["error", ...officeGlobal],
      "no-restricted-properties": [
        "error",
        { object: "globalThis", property: "Office", message: officeGlobal[0].message },
        { object: "window", property: "Office", message: officeGlobal[0].message },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    rules: {
      "max-lines-per-function": [
        "error",
        { max: MAX_FUNCTION_LINES, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: frameworkImports }] },
  },
  {
    files: ["src/services/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: frameworkImports }] },
  },
  ...featureRules,
  prettier,
);
