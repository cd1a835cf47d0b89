// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** An import of anything under server/, from wherever it is written. */
const SERVER = {
  regex: '(^|/)server/',
  message: 'The server is not part of the browser code; share through core/.',
};

/** Routes never reach the store. */
const ROUTES_NO_STORE = {
  regex: '(^|/)store/',
  message: 'Routes call services; only services reach server/store/.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'test-results', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Boundaries between the folders (CONVENTIONS.md, "Layout"). ESLint applies one
  // no-restricted-imports per file, the last matching block's: each block below states a
  // folder's whole rule.
  {
    // The extension and the PWA run in browsers: nothing of the server is theirs.
    files: ['extension/**/*.{ts,tsx}', 'pwa/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SERVER] }] },
  },
  {
    // Only the platform adapter may touch the WebExtension API.
    files: ['extension/**/*.{ts,tsx}'],
    ignores: ['extension/platform/browser.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'webextension-polyfill', message: 'Use extension/platform/browser.ts.' }],
          patterns: [SERVER],
        },
      ],
    },
  },
  {
    // Routes validate, authorize and call a service; the database is the services' business.
    files: ['server/routes/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ROUTES_NO_STORE] }] },
  },
  {
    // A route's input is read by route() with the contract's schemas, never by the handler.
    files: ['server/routes/**/*.ts'],
    ignores: ['server/routes/define-route.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ROUTES_NO_STORE,
            {
              regex: '(^|/)read-(json|query)\\.ts$',
              message: "route() reads the body and query with the contract's schemas.",
            },
          ],
        },
      ],
    },
  },
  // The store is the database and nothing else: it imports itself, core/ and packages,
  // nothing else of the server; of contract/ only alert-types.ts, the list of alert types
  // its rows and the API share (constants, no schema). Relative paths escape it at a depth
  // that depends on the file's, hence one block per depth.
  ...[0, 1].map((below) => ({
    files: [`server/store/${'*/'.repeat(below)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./){${below + 1}}(?!\\.\\./core/|\\.\\./contract/alert-types\\.ts$)`,
              message:
                'server/store/ imports only itself, core/, contract/alert-types.ts and packages.',
            },
          ],
        },
      ],
    },
  })),
  {
    // contract/ is what the server, the PWA and the extension share: zod schemas and types,
    // so it imports only itself, core/ and zod.
    files: ['contract/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|zod$)|^\\.\\./(?!core/)|^(\\.\\./){2,}',
              message: 'contract/ imports only itself, core/ and zod.',
            },
          ],
        },
      ],
    },
  },
  // core/ is pure: it imports only itself (no packages, no Node, no other folder).
  ...[3, 4, 5].map((depth) => ({
    files: [`core/${'*/'.repeat(depth - 2)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\.)|^(\\.\\./){${depth - 1},}`,
              message: 'core/ imports nothing outside itself.',
            },
          ],
        },
      ],
    },
  })),
);
