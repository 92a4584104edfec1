// ESLint (flat config) for the addons' JavaScript, after OCA's addons template for 18.0
// (eslint 9, eslint-plugin-jsdoc, globals) and the errors Odoo 18 enforces on its own
// web client (web/tooling/_eslintrc.json). Formatting is prettier's job.
const js = require("@eslint/js");
const globals = require("globals");
const jsdoc = require("eslint-plugin-jsdoc");

module.exports = [
    js.configs.recommended,
    {
        files: ["addons/*/static/**/*.js"],
        plugins: { jsdoc },
        languageOptions: {
            ecmaVersion: 2024,
            sourceType: "module",
            globals: {
                ...globals.browser,
                odoo: "readonly",
                owl: "readonly",
                luxon: "readonly",
            },
        },
        rules: {
            curly: ["error", "all"],
            eqeqeq: ["error", "smart"],
            "no-duplicate-imports": "error",
            "no-eval": "error",
            "no-restricted-globals": ["error", "event", "self"],
            "no-restricted-syntax": ["error", "PrivateIdentifier"],
            "no-unused-vars": ["error", { vars: "all", args: "none", caughtErrors: "all" }],
            "no-var": "error",
            "prefer-const": ["error", { destructuring: "all", ignoreReadBeforeAssign: true }],
            "jsdoc/check-tag-names": "error",
        },
    },
];
