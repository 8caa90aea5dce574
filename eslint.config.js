// ESLint (flat config) for the whole repository: typescript-eslint's type-aware rules catch what
// the compiler lets through (a promise nobody awaits, an async function handed to a callback that
// ignores its promise, a switch that forgets a case), react-hooks keeps hooks honest, and the
// package-level layer boundaries are lint rules too, so they show in the editor (the folder
// boundaries between our own layers, which relative paths make ambiguous for a pattern, are
// checked by scripts/boundaries.ts in the test suite). `npm run lint` must report nothing.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'shared/ and renderer/ run in a browser too: no Node built-ins.' };
const electron = { group: ['electron', 'electron/*'], message: 'Only app/ imports electron (no binary on build machines).' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-app/', 'release/', 'test-results/', 'playwright-report/', '.data/', '.demo/', 'bench/results/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, { group: ['express', 'pg', 'better-sqlite3', 'drizzle-orm/*-core', 'ws'], message: 'Server and main-process packages stay out of the browser-side layers.' }] }] },
  },
  {
    files: ['main/**/*.ts', 'server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron] }] },
  },
);
