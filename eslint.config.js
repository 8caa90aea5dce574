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
const electron = {
  group: ['electron', 'electron/*'],
  message: 'Only app/ imports electron (no binary on build machines).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-app/',
      'release/',
      'test-results/',
      'playwright-report/',
      '.data/',
      '.demo/',
      'bench/results/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
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
      // Off: an async function without await still turns a throw into a rejection, which the
      // promise-returning contracts here rely on (fast-check's AsyncCommand.run, the engine's API).
      '@typescript-eslint/require-await': 'off',
      // A `let` read by a closure before its one assignment (a value known only once listening)
      // cannot become a const there.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // In tests and test helpers: vitest's asymmetric matchers (`expect.stringContaining(…)` and
    // co.) are typed `any`, so an object literal holding one trips no-unsafe-assignment; and
    // `unbound-method` flags `expect(obj.method).toHaveBeenCalled…`, which never calls the method
    // unbound. A fetch wrapper's input and a ws message are a URL string and a Buffer in these tests.
    files: ['**/*.test.{ts,tsx}', '**/testing/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Still to be typed: the server's HTTP tests read the JSON bodies of replies of every status
    // through server/testing/sync-client.ts (a `Reply<any>`), refusals and broken requests
    // included. Everywhere else a test parses what it reads with the shared zod schemas or says
    // its type, so `any` does not spread there.
    files: ['server/**/*.test.ts', 'server/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // We do not run the React Compiler; this rule only reports where it would skip a component
      // (TanStack Virtual's useVirtualizer), which is no fault of ours.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electron,
            {
              group: ['express', 'pg', 'better-sqlite3', 'drizzle-orm/*-core', 'ws'],
              message: 'Server and main-process packages stay out of the browser-side layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron] }] },
  },
);
