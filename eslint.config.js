// Lint of the pages' scripts (graph/*/templates/*.js): browser scripts inlined into offline pages.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, vis: "readonly" },
    },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error" },
  },
];
