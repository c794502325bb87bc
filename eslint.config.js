import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'web/dist/', 'web/.dist-*/', 'coverage/', 'src/db/migrations/', 'bench/out/', 'test-artifacts/'] },
  js.configs.recommended,
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected clock.' },
      ],
    },
  },
  {
    // The web app runs in the browser: its "now" is the viewer's (the server decides anything that matters).
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Benchmarks measure wall-clock time; they are not product code with an injected clock. Same for build tooling.
    files: ['bench/**/*.ts', 'web/build.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain code never reads the clock' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain code never reads the clock' },
      ],
    },
  },
);
