// Lint of the pages' own scripts (graph/*/templates/*.js inlined into pages, graph/server/static/query.js);
// vendored builds (*.min.js) are not ours to lint.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["**/*.min.js", "node_modules/**"] },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, vis: "readonly", Yasgui: "readonly" },
    },
    rules: { eqeqeq: "error", "no-var": "error", "prefer-const": "error" },
  },
];
